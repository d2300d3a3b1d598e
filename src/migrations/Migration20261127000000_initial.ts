import { Migration } from '@mikro-orm/migrations';

/**
 * The first schema. Tenant tables carry site_id, references between tenant rows include site_id in the
 * foreign key, and row-level security keys every tenant table by the per-transaction setting app.site_id.
 * The request role (aegis_app) owns nothing and lacks BYPASSRLS; see src/db/app-role.ts.
 */
export class Migration20261127000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      DO $$ BEGIN
        CREATE ROLE aegis_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$;`);

    this.addSql(`
      CREATE FUNCTION app_site_id() RETURNS uuid LANGUAGE sql STABLE AS
      $$ SELECT nullif(current_setting('app.site_id', true), '')::uuid $$;`);

    this.addSql(`
      CREATE TABLE sites (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        ai_enabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE admins (
        id uuid PRIMARY KEY,
        email text NOT NULL UNIQUE,
        password_hash text NOT NULL,
        role text NOT NULL CHECK (role IN ('SUPER_ADMIN', 'SITE_ADMIN')),
        disabled boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL
      );
      CREATE TABLE admin_sites (
        admin_id uuid NOT NULL REFERENCES admins(id) DEFERRABLE INITIALLY DEFERRED,
        site_id uuid NOT NULL REFERENCES sites(id) DEFERRABLE INITIALLY DEFERRED,
        PRIMARY KEY (admin_id, site_id)
      );
      CREATE TABLE products (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES sites(id),
        sku text NOT NULL,
        name text NOT NULL,
        price_minor integer NOT NULL CHECK (price_minor BETWEEN 0 AND 100000000),
        currency text NOT NULL,
        created_at timestamptz NOT NULL,
        UNIQUE (site_id, id),
        UNIQUE (site_id, sku)
      );
      CREATE INDEX products_site_created ON products (site_id, created_at, id);
      CREATE TABLE orders (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES sites(id),
        state text NOT NULL CHECK (state IN ('DRAFT','PENDING_PAYMENT','PAYMENT_AUTHORIZED','CONFIRMED','PAYMENT_FAILED','EXPIRED','REFUNDED')),
        currency text NOT NULL,
        cart_token_hash text NOT NULL UNIQUE,
        total_minor integer NOT NULL CHECK (total_minor >= 0),
        line_count integer NOT NULL CHECK (line_count >= 0),
        email text,
        shipping_address jsonb,
        billing_address jsonb,
        current_attempt_id uuid,
        failure_reason text,
        recovery_deadline timestamptz,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        UNIQUE (site_id, id)
      );
      CREATE INDEX orders_site_state_created ON orders (site_id, state, created_at, id);
      CREATE INDEX orders_site_created ON orders (site_id, created_at, id);
      CREATE TABLE order_lines (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        order_id uuid NOT NULL,
        product_id uuid NOT NULL,
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
        unit_price_minor integer NOT NULL CHECK (unit_price_minor BETWEEN 0 AND 100000000),
        UNIQUE (order_id, product_id),
        FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id),
        FOREIGN KEY (site_id, product_id) REFERENCES products (site_id, id)
      );
      CREATE TABLE payment_attempts (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        order_id uuid NOT NULL,
        idempotency_key text NOT NULL UNIQUE,
        status text NOT NULL CHECK (status IN ('PENDING','SUCCEEDED','FAILED','CANCELED')),
        amount_minor integer NOT NULL CHECK (amount_minor >= 0),
        currency text NOT NULL,
        intent_id text UNIQUE,
        client_secret text,
        failure_reason text,
        needs_refund boolean NOT NULL DEFAULT false,
        refunded boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL,
        UNIQUE (site_id, id),
        FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id)
      );
      CREATE INDEX payment_attempts_order ON payment_attempts (order_id, created_at);
      ALTER TABLE orders ADD FOREIGN KEY (site_id, current_attempt_id) REFERENCES payment_attempts (site_id, id) DEFERRABLE INITIALLY DEFERRED;
      CREATE TABLE webhook_events (
        id text PRIMARY KEY,
        provider text NOT NULL,
        type text NOT NULL,
        site_id uuid,
        received_at timestamptz NOT NULL
      );
      CREATE TABLE audit_log (
        id uuid PRIMARY KEY,
        site_id uuid REFERENCES sites(id) DEFERRABLE INITIALLY DEFERRED,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text NOT NULL,
        detail text,
        from_state text,
        to_state text,
        reason text
      );
      CREATE INDEX audit_log_site_at ON audit_log (site_id, at, id);
      CREATE INDEX audit_log_entity ON audit_log (entity_id, at);`);

    // Tenant isolation in the database itself: a request transaction sees and writes only its own site.
    for (const table of ['products', 'orders', 'order_lines', 'payment_attempts']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY site_isolation ON ${table} USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);
    }
    // Platform actions (no site) are audited with a NULL site_id and are visible only when no site is set.
    this.addSql(`ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;`);
    this.addSql(
      `CREATE POLICY site_isolation ON audit_log USING (site_id IS NOT DISTINCT FROM app_site_id()) WITH CHECK (site_id IS NOT DISTINCT FROM app_site_id());`,
    );

    // The audit log is append-only, for everyone, including the owner.
    this.addSql(`
      CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$;
      CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log EXECUTE FUNCTION refuse_change();`);

    this.addSql(`
      GRANT USAGE ON SCHEMA public TO aegis_app;
      GRANT SELECT, INSERT, UPDATE ON sites, admins, products, orders, payment_attempts, webhook_events TO aegis_app;
      GRANT SELECT, INSERT, UPDATE, DELETE ON order_lines, admin_sites TO aegis_app;
      GRANT SELECT, INSERT ON audit_log TO aegis_app;
      GRANT EXECUTE ON FUNCTION app_site_id() TO aegis_app;`);
  }
}
