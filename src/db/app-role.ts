import type { Orm } from './orm';
import { APP_ROLE } from './orm';

const RETRYABLE = new Set(['XX000', '40001', '40P01', '42710', '23505']);

/**
 * Lets the request role log in with the derived password. Roles are cluster-wide and several processes or
 * test runs may start at once: the statement is idempotent and a concurrent updater is retried.
 */
export async function enableAppRoleLogin(owner: Orm, password: string): Promise<void> {
  const sql = `ALTER ROLE ${APP_ROLE} LOGIN PASSWORD '${password.replace(/'/g, "''")}'`;
  for (let attempt = 0; ; attempt++) {
    try {
      await owner.em.getConnection().execute(sql);
      return;
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= 5 || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}
