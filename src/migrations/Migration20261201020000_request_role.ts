import { Migration } from '@mikro-orm/migrations';

/**
 * Each database gets a login role of its own for request work (src/db/request-role.ts), a member of aegis_app.
 * The request role's password is kept here, in a schema only the owner can read.
 */
export class Migration20261201020000_request_role extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE SCHEMA aegis_owner;
      REVOKE ALL ON SCHEMA aegis_owner FROM PUBLIC;
      CREATE TABLE aegis_owner.request_role (
        role_name text PRIMARY KEY,
        password text NOT NULL,
        updated_at timestamptz NOT NULL
      );`);
  }
}
