import { MikroORM, type Options } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import type { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { allEntities, SITE_FILTER, siteFilter } from '../entities';
import { migrationsList } from '../migrations';
import { installFlushWithoutAsyncHooks } from './flush-without-async-hooks';
import { SiteBindingDriver } from './site-binding';

export type Orm = MikroORM<PostgreSqlDriver>;

/**
 * The NOLOGIN group role the migrations grant to. Request work logs in as this database's own member of it
 * (src/db/request-role.ts): it owns no table and lacks BYPASSRLS, so row-level security binds it.
 */
export const APP_ROLE = 'aegis_app';

export interface OrmOptions {
  /** Called with every SQL statement the ORM sends (used by benchmarks and tests to count round trips). */
  onQuery?: (sql: string) => void;
  poolMax?: number;
}

export function ormConfig(clientUrl: string, opts: OrmOptions = {}): Options<PostgreSqlDriver> {
  // Before any flush: a flush must not turn on Node 20's async hooks for the whole process (src/db/flush-without-async-hooks.ts).
  installFlushWithoutAsyncHooks();
  return {
    // PostgreSqlDriver whose transactions begin bound to their site in one round trip (src/db/site-binding.ts).
    driver: SiteBindingDriver,
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
