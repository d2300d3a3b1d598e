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

/** The URL of the database's own request role (src/db/request-role.ts), as the owner keeps it. */
export async function requestRoleUrl(dbUrl: string): Promise<string> {
  const [row] = await ownerSql<{ role_name: string; password: string }>(dbUrl, 'select role_name, password from aegis_owner.request_role');
  if (!row) throw new Error('no request role: the server has not started on this database');
  const url = new URL(dbUrl);
  url.username = row.role_name;
  url.password = row.password;
  return url.toString();
}
