import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { requestRoleName } from '../../src/db/request-role-name';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function onServer<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: process.env.AEGIS_TEST_SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, migrated database for one test file, cloned from the run's template. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `aegis_t_${randomBytes(6).toString('hex')}`;
  const template = process.env.AEGIS_TEST_TEMPLATE;
  if (!template) throw new Error('test/support/global-setup.ts did not run');
  // Two workers cloning at once may briefly see the template in use: retry.
  for (let attempt = 0; ; attempt++) {
    try {
      await onServer((c) => c.query(`create database ${name} template ${template}`));
      break;
    } catch (err) {
      if (attempt >= 20 || !/being accessed by other users/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url: withDatabase(process.env.AEGIS_TEST_SERVER_URL!, name),
    // The database's request role goes with it: roles are cluster-wide and would pile up on a shared server.
    drop: () =>
      onServer(async (c) => {
        await c.query(`drop database if exists ${name} with (force)`);
        await c.query(`drop role if exists ${requestRoleName(name)}`);
      }),
  };
}
