import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { createHmac } from 'node:crypto';
import { allEntities, SITE_FILTER, siteFilter } from '../entities';
import { migrationsList } from '../migrations';

export type Orm = MikroORM<PostgreSqlDriver>;

/** The role request work runs under: it owns no table and lacks BYPASSRLS, so row-level security binds it. */
export const APP_ROLE = 'aegis_app';

export interface OrmOptions {
  /** Called with every SQL statement the ORM sends (used by benchmarks and tests to count round trips). */
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

export function ormConfig(clientUrl: string, opts: OrmOptions = {}): Options<PostgreSqlDriver> {
  return {
    driver: PostgreSqlDriver,
    clientUrl,
    entities: allEntities,
    extensions: [Migrator],
    filters: { [SITE_FILTER]: siteFilter },
    discovery: { disableDynamicFileAccess: true },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false },
    // Entities are looked up per request fork; the global context must never be used for request work.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: opts.poolMax ?? 20 },
    debug: opts.onQuery ? ['query'] : false,
    logger: opts.onQuery ? (message: string) => opts.onQuery!(message) : () => undefined,
    colors: false,
  };
}

/** The request role's password: derived from the owner URL, so every process on one DATABASE_URL agrees on it. */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  const password = createHmac('sha256', `aegis:${url.password}:${url.host}`).update(APP_ROLE).digest('base64url');
  url.username = APP_ROLE;
  url.password = password;
  return url.toString();
}
