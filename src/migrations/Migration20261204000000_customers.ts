import { Migration } from '@mikro-orm/migrations';

/**
 * Customer accounts, per site (a shop's own customers): the same email on two sites is two accounts. Their saved
 * addresses, their password-reset tokens (stored as digests, single use), and the owner of an order (null: a
 * guest's). Tenant tables like the others: keyed (site_id, id), isolated by row-level security, shard-ready.
 */
export class Migration20261204000000_customers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE customers (
        id uuid NOT NULL,
        site_id uuid NOT NULL REFERENCES sites(id),
        email text NOT NULL CHECK (email = lower(email)),
        password_hash text NOT NULL,
        name text,
        token_version integer NOT NULL DEFAULT 0,
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, id),
        UNIQUE (site_id, email)
      );
      CREATE TABLE customer_addresses (
        id uuid NOT NULL,
        site_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        name text NOT NULL,
        line1 text NOT NULL,
        line2 text,
        city text NOT NULL,
        postal_code text NOT NULL,
        country text NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, id),
        FOREIGN KEY (site_id, customer_id) REFERENCES customers (site_id, id)
      );
      CREATE INDEX customer_addresses_customer ON customer_addresses (site_id, customer_id, created_at);
      CREATE TABLE password_resets (
        id uuid NOT NULL,
        site_id uuid NOT NULL,
        customer_id uuid NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (site_id, id),
        UNIQUE (site_id, token_hash),
        FOREIGN KEY (site_id, customer_id) REFERENCES customers (site_id, id)
      );
      ALTER TABLE orders ADD COLUMN customer_id uuid,
        ADD CONSTRAINT orders_site_id_customer_id_fkey FOREIGN KEY (site_id, customer_id) REFERENCES customers (site_id, id);
      CREATE INDEX orders_customer ON orders (site_id, customer_id, created_at DESC) WHERE customer_id IS NOT NULL;`);
    for (const table of ['customers', 'customer_addresses', 'password_resets']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY site_isolation ON ${table} USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);
    }
    this.addSql(`
      GRANT SELECT, INSERT, UPDATE ON customers, password_resets TO aegis_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON customer_addresses TO aegis_app;`);
  }
}
