import { Client } from 'pg';

/** Reads (or writes) as the database owner, outside the API, to prove what the database holds. */
export async function ownerSql<T = any>(dbUrl: string, query: string, params: unknown[] = []): Promise<T[]> {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    return (await c.query(query, params)).rows;
  } finally {
    await c.end();
  }
}
