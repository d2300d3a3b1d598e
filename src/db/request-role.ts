/**
 * Request work runs under a login role of this database's own, a member of the NOLOGIN group role `aegis_app`
 * (which holds the grants the migrations give). Roles are cluster-wide: one shared login role had CONNECT on every
 * database and a password derived from the owner's and reset on every start, so two deployments on one cluster
 * locked each other out. Now each database has its role, with CONNECT on it alone, and a password that is
 * DATABASE_APP_PASSWORD or a random one kept by the owner (`aegis_owner.request_role`, which the role cannot read),
 * changed only when it has to be.
 */
import { randomBytes } from 'node:crypto';
import type { Orm } from './orm';
import { APP_ROLE } from './orm';
import { requestRoleName } from './request-role-name';

export { requestRoleName };

const RETRYABLE = new Set(['XX000', '40001', '40P01', '42710', '23505']);
const quoteLiteral = (s: string) => `'${s.replace(/'/g, "''")}'`;

interface Stored {
  role_name: string;
  password: string;
}

/** Creates or repairs this database's request role; answers its name and password. Idempotent, race-tolerant. */
export async function ensureRequestRole(owner: Orm, configuredPassword?: string): Promise<RequestRole> {
  const conn = owner.em.getConnection();
  const { role, password, db } = await retried(() =>
    conn.transactional(async (trx) => {
      const run = <T>(sql: string) => conn.execute(sql, [], 'all', trx) as Promise<T>;
      const [{ db }] = await run<{ db: string }[]>(`select current_database() as db`);
      const name = requestRoleName(db);
      const [stored] = await run<Stored[]>(`select role_name, password from aegis_owner.request_role for update`);
      // A database cloned from another (a template) carries the other's row: it is not this database's role.
      const kept = stored?.role_name === name ? stored.password : undefined;
      const secret = configuredPassword ?? kept ?? randomBytes(24).toString('base64url');
      const [exists] = await run<unknown[]>(`select 1 from pg_roles where rolname = ${quoteLiteral(name)}`);
      if (!exists) {
        await run(
          `CREATE ROLE ${name} LOGIN PASSWORD ${quoteLiteral(secret)} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE IN ROLE ${APP_ROLE}`,
        );
      } else if (secret !== kept) {
        await run(`ALTER ROLE ${name} LOGIN PASSWORD ${quoteLiteral(secret)}`);
      }
      // The shared group role logged in before each database had its own: it only holds the grants now.
      const [group] = await run<{ login: boolean }[]>(`select rolcanlogin as login from pg_roles where rolname = '${APP_ROLE}'`);
      if (group?.login) await run(`ALTER ROLE ${APP_ROLE} NOLOGIN PASSWORD NULL`);
      if (secret !== kept) {
        await run(`delete from aegis_owner.request_role`);
        await run(
          `insert into aegis_owner.request_role (role_name, password, updated_at) values (${quoteLiteral(name)}, ${quoteLiteral(secret)}, now())`,
        );
      }
      return { role: name, password: secret, db };
    }),
  );
  return { role, password, connectRestricted: await restrictConnect(owner, db, role) };
}

export interface RequestRole {
  role: string;
  password: string;
  /** False when the owner may not change the database's CONNECT grants (it does not own the database). */
  connectRestricted: boolean;
}

async function retried<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1) + Math.random() * 20));
    }
  }
}

/** CONNECT on this database for its own role only (the owner keeps its own): PUBLIC's default grant goes. */
async function restrictConnect(owner: Orm, db: string, role: string): Promise<boolean> {
  const conn = owner.em.getConnection();
  try {
    const database = `"${db.replace(/"/g, '""')}"`;
    await retried(async () => {
      await conn.execute(`REVOKE CONNECT ON DATABASE ${database} FROM PUBLIC`);
      await conn.execute(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
    });
    return true;
  } catch (err) {
    if ((err as { code?: string }).code === '42501') return false;
    throw err;
  }
}
