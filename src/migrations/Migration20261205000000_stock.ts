import { Migration } from '@mikro-orm/migrations';

/**
 * Tracked stock (README "Stock"). `stock_on_hand` null is an untracked product, as before. The CHECKs make the
 * database itself refuse a reservation beyond what is on hand, whatever the code does: available
 * (on_hand - reserved) is never negative. Every movement is a row of the append-only ledger `stock_movements`
 * (sum(on_hand_delta) = stock_on_hand, sum(reserved_delta) = stock_reserved per product); like payment_failures,
 * the request role may only read and add, and refuse_change() refuses UPDATE, DELETE and TRUNCATE for everyone.
 */
export class Migration20261205000000_stock extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      ALTER TABLE products ADD COLUMN stock_on_hand integer,
        ADD COLUMN stock_reserved integer NOT NULL DEFAULT 0,
        ADD CONSTRAINT products_stock_reserved_nonnegative CHECK (stock_reserved >= 0),
        ADD CONSTRAINT products_stock_within_on_hand CHECK (stock_reserved <= coalesce(stock_on_hand, 0)),
        ADD CONSTRAINT products_stock_on_hand_nonnegative CHECK (stock_on_hand >= 0);
      CREATE TABLE stock_movements (
        id uuid NOT NULL,
        site_id uuid NOT NULL,
        product_id uuid NOT NULL,
        order_id uuid,
        kind text NOT NULL CHECK (kind IN ('ADJUSTMENT', 'RESERVATION', 'RELEASE', 'SALE', 'RESTOCK')),
        on_hand_delta integer NOT NULL,
        reserved_delta integer NOT NULL,
        reason text,
        actor text NOT NULL,
        at timestamptz NOT NULL,
        PRIMARY KEY (site_id, id),
        FOREIGN KEY (site_id, product_id) REFERENCES products (site_id, id),
        FOREIGN KEY (site_id, order_id) REFERENCES orders (site_id, id)
      );
      CREATE INDEX stock_movements_product ON stock_movements (site_id, product_id, at DESC);
      CREATE INDEX stock_movements_order ON stock_movements (site_id, order_id) WHERE order_id IS NOT NULL;`);
    this.addSql(`ALTER TABLE stock_movements ENABLE ROW LEVEL SECURITY;`);
    this.addSql(`CREATE POLICY site_isolation ON stock_movements USING (site_id = app_site_id()) WITH CHECK (site_id = app_site_id());`);
    this.addSql(`
      CREATE TRIGGER stock_movements_append_only BEFORE UPDATE OR DELETE ON stock_movements FOR EACH ROW EXECUTE FUNCTION refuse_change();
      CREATE TRIGGER stock_movements_no_truncate BEFORE TRUNCATE ON stock_movements EXECUTE FUNCTION refuse_change();`);
    this.addSql(`GRANT SELECT, INSERT ON stock_movements TO aegis_app;`);
  }
}
