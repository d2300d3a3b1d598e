import { MikroORM } from '@mikro-orm/core';
import path from 'node:path';
import { enableAppRoleLogin } from './app-role';
import { loadEmbedded } from './load-embedded';
import { appRoleUrl, ormConfig, type Orm, type OrmOptions } from './orm';

export interface Database {
  orm: Orm;
  /** The owner URL (migrations); request work connects as the app role. */
  ownerUrl: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Applies every pending committed migration with the owner's connection. Several processes may start on one
 * database at once: a session advisory lock, held on a connection of its own, lets one migrate while the others
 * wait, then find nothing pending.
 */
export async function migrate(ownerUrl: string): Promise<string[]> {
  const owner = await MikroORM.init(ormConfig(ownerUrl, { poolMax: 3 }));
  const knex = owner.em.getConnection().getKnex();
  const lock: { query(sql: string): Promise<unknown> } = await knex.client.acquireConnection();
  try {
    await lock.query(`select pg_advisory_lock(hashtext('aegis.migrate'))`);
    const applied = await owner.getMigrator().up();
    await enableAppRoleLogin(owner, new URL(appRoleUrl(ownerUrl)).password);
    return applied.map((m) => m.name);
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
  opts: { databaseUrl?: string; dataDir: string; onPhase?: (name: string) => void } & OrmOptions,
): Promise<Database> {
  const phase = opts.onPhase ?? (() => undefined);
  const embedded = opts.databaseUrl ? undefined : await loadEmbedded().startEmbeddedPostgres(path.join(opts.dataDir, 'pg'));
  phase(embedded ? 'embeddedPostgres' : 'database');
  const ownerUrl = opts.databaseUrl ?? embedded!.url;
  try {
    await migrate(ownerUrl);
    phase('migrations');
    const orm = await MikroORM.init(ormConfig(appRoleUrl(ownerUrl), opts));
    phase('connect');
    return {
      orm,
      ownerUrl,
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
