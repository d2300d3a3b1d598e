import { Migration } from '@mikro-orm/migrations';

/** GET /readyz compares the applied migrations with the build's: the request role may read (only) that record. */
export class Migration20261127030000_readiness extends Migration {
  override async up(): Promise<void> {
    this.addSql(`GRANT SELECT ON mikro_orm_migrations TO aegis_app;`);
  }
}
