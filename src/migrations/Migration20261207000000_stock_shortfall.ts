import { Migration } from '@mikro-orm/migrations';

/**
 * A checkout's stock reservation travels in its COMMIT's message (src/domain/stock/ledger.ts), so the product rows
 * it locks are held for that one message and not across a server round trip. Its answer then comes too late for
 * the guard stockReserved to read it before the move: instead the statement itself refuses, through this function,
 * and the whole transaction rolls back. SQLSTATE AEG01 (a class of our own, outside PostgreSQL's) names the refusal;
 * DETAIL carries the shortfalls as JSON, which the order runner turns back into the guard's INSUFFICIENT_STOCK.
 */
export class Migration20261207000000_stock_shortfall extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE FUNCTION refuse_stock_shortfalls(shortfalls jsonb) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF jsonb_array_length(shortfalls) > 0 THEN
          RAISE EXCEPTION 'insufficient stock' USING ERRCODE = 'AEG01', DETAIL = shortfalls::text;
        END IF;
      END $$;`);
  }
}
