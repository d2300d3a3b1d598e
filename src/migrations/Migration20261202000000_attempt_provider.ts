import { Migration } from '@mikro-orm/migrations';

/** Each attempt names the payment provider that holds its intent, so its refunds and cancels go back to it. */
export class Migration20261202000000_attempt_provider extends Migration {
  override async up(): Promise<void> {
    // Every attempt before this migration was Stripe's (the only provider there was).
    this.addSql(`ALTER TABLE payment_attempts ADD COLUMN provider text NOT NULL DEFAULT 'stripe';`);
    this.addSql(`ALTER TABLE payment_attempts ALTER COLUMN provider DROP DEFAULT;`);
  }
}
