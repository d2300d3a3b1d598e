import { Migration } from '@mikro-orm/migrations';

/**
 * Keys a tenant table can be sharded by (Citus, distributed by site_id; README "Scaling out"): every tenant table's
 * primary key, unique constraint and tenant-to-tenant foreign key includes site_id, and site_id is NOT NULL
 * wherever it exists. Platform rows (audit entries and inbox events without a site) move to tables of their own.
 * test/authority/shard-keys.test.ts reads the catalog and holds every later migration to the same rules.
 */
export class Migration20261203020000_shard_keys extends Migration {
  override async up(): Promise<void> {
    // The platform's homes: the same columns less site_id. Platform rows stay visible only with no site bound,
    // as they were under the old audit_log policy (site_id IS NOT DISTINCT FROM app_site_id()).
    this.addSql(`
      CREATE TABLE platform_audit_log (
        id uuid PRIMARY KEY,
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
      CREATE INDEX platform_audit_log_at ON platform_audit_log (at, id);
      CREATE INDEX platform_audit_log_entity ON platform_audit_log (entity_id, at);
      CREATE TRIGGER platform_audit_log_append_only BEFORE UPDATE OR DELETE ON platform_audit_log FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER platform_audit_log_no_truncate BEFORE TRUNCATE ON platform_audit_log EXECUTE FUNCTION refuse_change();
      CREATE TABLE platform_webhook_events (
        id text PRIMARY KEY,
        provider text NOT NULL,
        type text NOT NULL,
        received_at timestamptz NOT NULL
      );`);
    for (const table of ['platform_audit_log', 'platform_webhook_events']) {
      this.addSql(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;`);
      this.addSql(`CREATE POLICY platform_only ON ${table} USING (app_site_id() IS NULL) WITH CHECK (app_site_id() IS NULL);`);
      this.addSql(`GRANT SELECT, INSERT ON ${table} TO aegis_app;`);
    }

    // Existing platform rows move, verbatim. The one sanctioned removal from the append-only audit log: in this
    // migration's transaction, after the copy, with the trigger back before anyone else can write.
    this.addSql(`
      INSERT INTO platform_audit_log (id, at, actor, action, entity, entity_id, detail, from_state, to_state, reason)
        SELECT id, at, actor, action, entity, entity_id, detail, from_state, to_state, reason FROM audit_log WHERE site_id IS NULL;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
      DELETE FROM audit_log WHERE site_id IS NULL;
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
      INSERT INTO platform_webhook_events (id, provider, type, received_at)
        SELECT id, provider, type, received_at FROM webhook_events WHERE site_id IS NULL;
      DELETE FROM webhook_events WHERE site_id IS NULL;
      ALTER TABLE audit_log ALTER COLUMN site_id SET NOT NULL;
      ALTER TABLE webhook_events ALTER COLUMN site_id SET NOT NULL;`);

    // audit_log's policy no longer needs IS NOT DISTINCT FROM; the inbox is tenant data now, isolated like the rest.
    this.addSql(`
      DROP POLICY site_isolation ON audit_log;
      CREATE POLICY site_isolation ON audit_log USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());
      ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
      CREATE POLICY site_isolation ON webhook_events USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);

    // The foreign keys that lean on UNIQUE (site_id, id) go while that constraint becomes the primary key; no CASCADE,
    // so a key added elsewhere that this list misses fails the migration instead of vanishing.
    this.addSql(`
      ALTER TABLE order_lines DROP CONSTRAINT order_lines_site_id_order_id_fkey, DROP CONSTRAINT order_lines_site_id_product_id_fkey;
      ALTER TABLE payment_attempts DROP CONSTRAINT payment_attempts_site_id_order_id_fkey;
      ALTER TABLE orders DROP CONSTRAINT orders_site_id_current_attempt_id_fkey;
      ALTER TABLE payment_failures DROP CONSTRAINT payment_failures_site_id_order_id_fkey, DROP CONSTRAINT payment_failures_site_id_attempt_id_fkey;
      ALTER TABLE content_versions
        DROP CONSTRAINT content_versions_site_id_content_item_id_fkey, DROP CONSTRAINT content_versions_site_id_suggestion_id_fkey;
      ALTER TABLE suggestions DROP CONSTRAINT suggestions_site_id_content_item_id_fkey;`);

    for (const table of ['products', 'orders', 'payment_attempts', 'content_items', 'suggestions']) {
      this.addSql(
        `ALTER TABLE ${table} DROP CONSTRAINT ${table}_site_id_id_key, DROP CONSTRAINT ${table}_pkey, ADD CONSTRAINT ${table}_pkey PRIMARY KEY (site_id, id);`,
      );
    }
    for (const table of ['order_lines', 'payment_failures', 'content_versions', 'audit_log', 'webhook_events']) {
      this.addSql(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey, ADD CONSTRAINT ${table}_pkey PRIMARY KEY (site_id, id);`);
    }

    // Unique within a site. Cart tokens, idempotency keys and intent ids are random or the provider's, so they stay
    // unique across sites in practice; the database can only promise it per site once sites live on different nodes.
    this.addSql(`
      ALTER TABLE orders DROP CONSTRAINT orders_cart_token_hash_key,
        ADD CONSTRAINT orders_site_id_cart_token_hash_key UNIQUE (site_id, cart_token_hash);
      ALTER TABLE payment_attempts DROP CONSTRAINT payment_attempts_idempotency_key_key,
        ADD CONSTRAINT payment_attempts_site_id_idempotency_key_key UNIQUE (site_id, idempotency_key),
        DROP CONSTRAINT payment_attempts_intent_id_key,
        ADD CONSTRAINT payment_attempts_site_id_intent_id_key UNIQUE (site_id, intent_id);
      ALTER TABLE order_lines DROP CONSTRAINT order_lines_order_id_product_id_key,
        ADD CONSTRAINT order_lines_site_id_order_id_product_id_key UNIQUE (site_id, order_id, product_id);
      ALTER TABLE content_versions DROP CONSTRAINT content_versions_content_item_id_number_key,
        DROP CONSTRAINT content_versions_suggestion_id_key,
        ADD CONSTRAINT content_versions_site_id_suggestion_id_key UNIQUE (site_id, suggestion_id);`);

    // The same foreign keys, names and deferral as before, now on the primary keys.
    this.addSql(`
      ALTER TABLE order_lines
        ADD CONSTRAINT order_lines_site_id_order_id_fkey FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id),
        ADD CONSTRAINT order_lines_site_id_product_id_fkey FOREIGN KEY (site_id, product_id) REFERENCES products (site_id, id);
      ALTER TABLE payment_attempts
        ADD CONSTRAINT payment_attempts_site_id_order_id_fkey FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id);
      ALTER TABLE orders
        ADD CONSTRAINT orders_site_id_current_attempt_id_fkey FOREIGN KEY (site_id, current_attempt_id)
          REFERENCES payment_attempts (site_id, id) DEFERRABLE INITIALLY DEFERRED;
      ALTER TABLE payment_failures
        ADD CONSTRAINT payment_failures_site_id_order_id_fkey FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id),
        ADD CONSTRAINT payment_failures_site_id_attempt_id_fkey FOREIGN KEY (site_id, attempt_id) REFERENCES payment_attempts (site_id, id);
      ALTER TABLE content_versions
        ADD CONSTRAINT content_versions_site_id_content_item_id_fkey FOREIGN KEY (site_id, content_item_id)
          REFERENCES content_items (site_id, id) DEFERRABLE INITIALLY DEFERRED,
        ADD CONSTRAINT content_versions_site_id_suggestion_id_fkey FOREIGN KEY (site_id, suggestion_id) REFERENCES suggestions (site_id, id);
      ALTER TABLE suggestions
        ADD CONSTRAINT suggestions_site_id_content_item_id_fkey FOREIGN KEY (site_id, content_item_id) REFERENCES content_items (site_id, id);`);
  }
}
