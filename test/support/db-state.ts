import { Client } from 'pg';

/**
 * The owner's view of a test database, outside the API: a fingerprint of every row of every table, so a test
 * can prove that a refused request changed nothing (no insert, update or delete anywhere).
 */
export interface DbState {
  /** table -> "row count:md5 of all rows" */
  snapshot(): Promise<Record<string, string>>;
  /** The rows of one order, its lines and attempts, as one hash. */
  orderPrint(orderId: string): Promise<string>;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function openDbState(ownerUrl: string): Promise<DbState> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  const query = async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[];
  return {
    query,
    async snapshot() {
      const tables = await query<{ name: string }>(
        `select tablename as name from pg_tables where schemaname = 'public' and tablename <> 'mikro_orm_migrations' order by 1`,
      );
      const rows = await query<{ name: string; print: string }>(
        tables
          .map(
            ({ name }) =>
              `select '${name}' as name, count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as print from "${name}" t`,
          )
          .join(' union all '),
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.print]));
    },
    async orderPrint(orderId) {
      const [row] = await query<{ print: string }>(
        `select md5(coalesce(string_agg(r, '|' order by r), '')) as print from (
           select o::text as r from orders o where id = $1
           union all select l::text from order_lines l where order_id = $1
           union all select a::text from payment_attempts a where order_id = $1) rows`,
        [orderId],
      );
      return row.print;
    },
    close: () => client.end(),
  };
}
