import { Migration } from '@mikro-orm/migrations';

/**
 * What the gateway says after checkout, recorded on the attempt: refunds made outside Aegis (the amount, as the
 * charge reports it), disputes and their outcome, whether Aegis itself asked to cancel the intent (so a cancel seen
 * at the gateway is told from Aegis's own), and when reconciliation last asked the gateway about a pending intent.
 */
export class Migration20261203000000_gateway_word extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE payment_attempts
        ADD COLUMN refunded_minor integer NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0),
        ADD COLUMN cancel_requested_at timestamptz,
        ADD COLUMN dispute_id text,
        ADD COLUMN dispute_status text,
        ADD COLUMN dispute_closed boolean NOT NULL DEFAULT false,
        ADD COLUMN dispute_reason text,
        ADD COLUMN dispute_amount_minor integer,
        ADD COLUMN reconciled_at timestamptz;`);
    // Refunds Aegis made before this column existed were whole.
    this.addSql(`UPDATE payment_attempts SET refunded_minor = amount_minor WHERE refunded;`);
    // Reconciliation's search: pending attempts with an intent, oldest check first.
    this.addSql(
      `CREATE INDEX payment_attempts_reconcile ON payment_attempts (site_id, created_at) WHERE status = 'PENDING' AND intent_id IS NOT NULL;`,
    );
  }
}
