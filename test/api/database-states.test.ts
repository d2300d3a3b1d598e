import { OrderState, PaymentAttemptStatus, SuggestionStatus } from '../../src/entities/states';
import { createTestDatabase } from '../support/databases';
import { ownerSql } from '../support/sql';

/** The database refuses a state it does not know: a state added to an enum needs its migration (CONTRIBUTING.md). */
describe('the states the database admits', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  /** The values a column's CHECK (col IN (...)) admits, read from the catalogue. */
  async function admitted(table: string, column: string): Promise<string[]> {
    const rows = await ownerSql<{ def: string }>(
      db.url,
      `select pg_get_constraintdef(c.oid) as def from pg_constraint c join pg_class t on t.oid = c.conrelid
        where t.relname = $1 and c.contype = 'c' and pg_get_constraintdef(c.oid) like $2`,
      [table, `%(${column} = ANY%`],
    );
    expect(rows).toHaveLength(1);
    return [...rows[0].def.matchAll(/'([A-Z_]+)'::text/g)].map((m) => m[1]).sort();
  }

  it('are exactly the order states, attempt statuses and suggestion statuses of the code', async () => {
    expect(await admitted('orders', 'state')).toEqual(Object.values(OrderState).sort());
    expect(await admitted('payment_attempts', 'status')).toEqual(Object.values(PaymentAttemptStatus).sort());
    expect(await admitted('suggestions', 'status')).toEqual(Object.values(SuggestionStatus).sort());
  });
});
