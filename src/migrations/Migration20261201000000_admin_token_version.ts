import { Migration } from '@mikro-orm/migrations';

/** The version every admin token carries: bumping it (disable, re-enable, adminLogoutAll) revokes the earlier tokens. */
export class Migration20261201000000_admin_token_version extends Migration {
  override async up(): Promise<void> {
    this.addSql(`ALTER TABLE admins ADD COLUMN token_version integer NOT NULL DEFAULT 0;`);
  }
}
