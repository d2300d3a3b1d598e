import { Migration } from '@mikro-orm/migrations';

/**
 * Append-only failure records (declines, refused refunds and cancels), one row per failure, tenant-scoped like
 * every tenant table. The request role may only read and add; the trigger refuses UPDATE, DELETE and TRUNCATE
 * for everyone, the owner included (refuse_change() is the audit log's, from the initial migration).
 */
export class Migration20261127010000_payment_failures extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE payment_failures (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL,
        order_id uuid NOT NULL,
        attempt_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PAYMENT_FAILED', 'REFUND_REFUSED', 'CANCEL_REFUSED')),
        intent_id text,
        event_id text,
        reason text NOT NULL,
        at timestamptz NOT NULL,
        FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id),
        FOREIGN KEY (site_id, attempt_id) REFERENCES payment_attempts (site_id, id)
      );
      CREATE INDEX payment_failures_order ON payment_failures (order_id, at);`);
    this.addSql(`ALTER TABLE payment_failures ENABLE ROW LEVEL SECURITY;`);
    this.addSql(`CREATE POLICY site_isolation ON payment_failures USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);
    this.addSql(`
      CREATE TRIGGER payment_failures_append_only BEFORE UPDATE OR DELETE ON payment_failures FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER payment_failures_no_truncate BEFORE TRUNCATE ON payment_failures EXECUTE FUNCTION refuse_change();`);
    this.addSql(`GRANT SELECT, INSERT ON payment_failures TO aegis_app;`);
  }
}
