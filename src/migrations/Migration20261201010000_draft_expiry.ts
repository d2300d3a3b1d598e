import { Migration } from '@mikro-orm/migrations';

/** The expiry job looks for untouched DRAFT carts per site, oldest change first: a partial index of just those. */
export class Migration20261201010000_draft_expiry extends Migration {
  override async up(): Promise<void> {
    this.addSql(`CREATE INDEX orders_site_draft_updated ON orders (site_id, updated_at, id) WHERE state = 'DRAFT';`);
  }
}
