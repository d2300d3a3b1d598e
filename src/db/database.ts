import { MikroORM } from '@mikro-orm/core';
import path from 'node:path';
import { loadEmbedded } from './load-embedded';
import { ormConfig, type Orm, type OrmOptions } from './orm';
import { ensureRequestRole, type RequestRole } from './request-role';

export interface Database {
  orm: Orm;
  /** The owner URL (migrations); request work connects as the request role. */
  ownerUrl: string;
  requestRole: RequestRole;
  embedded: boolean;
  close(): Promise<void>;
}

export interface Migrated {
  applied: string[];
  /** This database's request role, and the URL request work connects with. */
  requestRole: RequestRole;
  requestUrl: string;
}

/**
 * Applies every pending committed migration with the owner's connection, then makes sure this database's request
 * role exists (src/db/request-role.ts). Several processes may start on one database at once: a session advisory
 * lock, held on a connection of its own, lets one migrate while the others wait, then find nothing pending.
 */
export async function migrate(ownerUrl: string, opts: { appPassword?: string } = {}): Promise<Migrated> {
  const owner = await MikroORM.init(ormConfig(ownerUrl, { poolMax: 3 }));
  const knex = owner.em.getConnection().getKnex();
  const lock: { query(sql: string): Promise<unknown> } = await knex.client.acquireConnection();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('aegis.migrate'))`);
    const applied = await owner.getMigrator().up();
    const requestRole = await ensureRequestRole(owner, opts.appPassword);
    const url = new URL(ownerUrl);
    url.username = requestRole.role;
    url.password = requestRole.password;
    return { applied: applied.map((m) => m.name), requestRole, requestUrl: url.toString() };
  } finally {
    await lock.query(`select pg_advisory_unlock_all()`).catch(() => undefined);
    await knex.client.releaseConnection(lock);
    await owner.close(true);
  }
}

/**
 * Opens the database: DATABASE_URL when given, else an embedded PostgreSQL under dataDir/pg.
 * Migrates as the owner, then connects for request work as the app role.
 */
export async function openDatabase(
  opts: { databaseUrl?: string; appPassword?: string; dataDir: string; onPhase?: (name: string) => void } & OrmOptions,
): Promise<Database> {
  const phase = opts.onPhase ?? (() => undefined);
  const embedded = opts.databaseUrl ? undefined : await loadEmbedded().startEmbeddedPostgres(path.join(opts.dataDir, 'pg'));
  phase(embedded ? 'embeddedPostgres' : 'database');
  const ownerUrl = opts.databaseUrl ?? embedded!.url;
  try {
    const migrated = await migrate(ownerUrl, { appPassword: opts.appPassword });
    phase('migrations');
    const orm = await MikroORM.init(ormConfig(migrated.requestUrl, opts));
    phase('connect');
    return {
      orm,
      ownerUrl,
      requestRole: migrated.requestRole,
      embedded: Boolean(embedded),
      async close() {
        await orm.close(true);
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
