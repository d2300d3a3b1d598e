import { MikroORM } from '@mikro-orm/core';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { APP_ROLE, appRoleUrl, ormConfig } from '../../src/db/orm';
import { readInSite } from '../../src/domain/tx';
import { Order, TENANT_ENTITIES } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { withDatabase } from '../support/databases';
import { startFreshCluster } from '../support/fresh-cluster';
import { siteFixture, type SiteFixture } from '../support/two-sites';

/** Row-level security, the request role and the ORM's site filter: the database's own tenancy layer. */
let t: TestAegis;
let a: SiteFixture;
let b: SiteFixture;
let owner: Client;

beforeAll(async () => {
  t = await startTestAegis();
  a = await siteFixture(t, 'A');
  b = await siteFixture(t, 'B');
  owner = new Client({ connectionString: t.dbUrl });
  await owner.connect();
});
afterAll(async () => {
  await owner.end();
  await t.close();
});

async function asAppRole<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: appRoleUrl(t.dbUrl) });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** In one transaction bound to `siteId`, as the request role; always rolled back. */
const inSiteAsApp = <T>(siteId: string, work: (c: Client) => Promise<T>) =>
  asAppRole(async (c) => {
    await c.query('begin');
    try {
      await c.query(`select set_config('app.site_id', $1, true)`, [siteId]);
      return await work(c);
    } finally {
      await c.query('rollback');
    }
  });

const tenantTables = async () =>
  (
    await owner.query<{ table: string; rls: boolean }>(
      `select c.relname as table, c.relrowsecurity as rls from pg_class c join pg_namespace n on n.oid = c.relnamespace
       join information_schema.columns col on col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'site_id'
       where n.nspname = 'public' and c.relkind = 'r' order by 1`,
    )
  ).rows;

/** Tables with a site_id that are not tenant data: the platform's grants and the gateway inbox (never read by request work). */
const PLATFORM_TABLES = ['admin_sites', 'webhook_events'];

describe('row-level security', () => {
  it('is enabled, with a policy, on every table with a site_id but the platform ones', async () => {
    const tables = await tenantTables();
    expect(tables.filter((x) => !PLATFORM_TABLES.includes(x.table) && !x.rls)).toEqual([]);
    const policies = (await owner.query(`select tablename from pg_policies where schemaname = 'public'`)).rows.map((r) => r.tablename);
    for (const { table } of tables.filter((x) => x.rls)) expect(policies).toContain(table);
  });

  it('shows the request role nothing of any tenant table when no site is set', async () => {
    const tables = (await tenantTables()).filter((x) => x.rls).map((x) => x.table);
    for (const table of tables) {
      const ownerSees = Number((await owner.query(`select count(*) from "${table}" where site_id is not null`)).rows[0].count);
      const appSees = await asAppRole(async (c) => Number((await c.query(`select count(*) from "${table}" where site_id is not null`)).rows[0].count));
      expect({ table, appSees }).toEqual({ table, appSees: 0 });
      if (['orders', 'products', 'order_lines', 'audit_log'].includes(table)) expect(ownerSees).toBeGreaterThan(0);
    }
  });

  it("shows a transaction bound to site A only site A's rows", async () => {
    const sites = await inSiteAsApp(a.siteId, async (c) => (await c.query(`select distinct site_id from orders union select distinct site_id from products`)).rows);
    expect(sites).toEqual([{ site_id: a.siteId }]);
  });

  it("refuses a write of site A's rows from a transaction bound to site B", async () => {
    const err = await inSiteAsApp(b.siteId, (c) =>
      c.query(`insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (gen_random_uuid(), $1, $2, $3, 1, 100)`, [
        a.siteId, a.cart.orderId, a.productId,
      ]).then(() => null, (e) => e),
    );
    expect(err?.code).toBe('42501'); // new row violates row-level security policy
    const update = await inSiteAsApp(b.siteId, (c) => c.query(`update orders set total_minor = 0 where id = $1`, [a.cart.orderId]));
    expect(update.rowCount).toBe(0);
  });

  it("refuses, even for the owner, a line pointing at another site's product (composite foreign key)", async () => {
    const err = await owner
      .query(`insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (gen_random_uuid(), $1, $2, $3, 1, 100)`, [
        a.siteId, a.cart.orderId, b.productId,
      ])
      .then(() => null, (e) => e);
    expect(err?.code).toBe('23503'); // foreign_key_violation
  });

  it('forgets the site at commit and at rollback: a pooled connection reused afterwards sees nothing', async () => {
    const pool = new Pool({ connectionString: appRoleUrl(t.dbUrl), max: 1 });
    try {
      for (const end of ['commit', 'rollback']) {
        const c = await pool.connect();
        await c.query('begin');
        await c.query(`select set_config('app.site_id', $1, true)`, [a.siteId]);
        expect(Number((await c.query('select count(*) from orders')).rows[0].count)).toBeGreaterThan(0);
        const pid = (await c.query('select pg_backend_pid() as pid')).rows[0].pid;
        await c.query(end);
        c.release();

        const again = await pool.connect();
        expect((await again.query('select pg_backend_pid() as pid')).rows[0].pid).toBe(pid);
        expect((await again.query(`select coalesce(current_setting('app.site_id', true), '') as site`)).rows[0].site).toBe('');
        expect(Number((await again.query('select count(*) from orders')).rows[0].count)).toBe(0);
        again.release();
      }
    } finally {
      await pool.end();
    }
  });
});

describe('the request role', () => {
  it('is not a superuser, lacks BYPASSRLS, and owns no table, sequence, function or schema', async () => {
    const role = (await owner.query(`select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = $1`, [APP_ROLE])).rows[0];
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
    const owned = await owner.query(
      `select 'table ' || tablename from pg_tables where tableowner = $1
       union all select 'class ' || relname from pg_class where relowner = (select oid from pg_roles where rolname = $1)
       union all select 'function ' || proname from pg_proc where proowner = (select oid from pg_roles where rolname = $1)
       union all select 'schema ' || nspname from pg_namespace where nspowner = (select oid from pg_roles where rolname = $1)`,
      [APP_ROLE],
    );
    expect(owned.rows).toEqual([]);
    const current = await asAppRole(async (c) => (await c.query('select current_user as u')).rows[0].u);
    expect(current).toBe(APP_ROLE);
  });

  it('is the role the server does request work under', async () => {
    const users = await t.aegis.db.orm.em.fork().execute<{ u: string }[]>('select current_user as u');
    expect(users[0].u).toBe(APP_ROLE);
  });
});

describe('the MikroORM site filter (the ORM layer, independent of row-level security)', () => {
  it("covers every tenant entity, and scopes finds to the transaction's site even for the owner, whom row-level security does not bind", async () => {
    const orm = await MikroORM.init(ormConfig(t.dbUrl, { poolMax: 2 }));
    try {
      // Every entity with a siteId is filtered, but the platform's grants and the gateway inbox.
      const withSite = Object.values(orm.getMetadata().getAll()).filter((m) => m.properties.siteId).map((m) => m.className);
      expect(withSite.filter((n) => !['AdminSite', 'WebhookEvent'].includes(n)).sort()).toEqual([...TENANT_ENTITIES].sort());

      const em = orm.em.fork();
      const seen = await readInSite(em, a.siteId, (tx) => tx.find(Order, {}));
      expect(seen!.length).toBeGreaterThan(0);
      expect(new Set(seen!.map((o) => o.siteId))).toEqual(new Set([a.siteId]));
      // Outside a site-bound transaction a tenant query fails closed.
      await expect(orm.em.fork().find(Order, {})).rejects.toThrow(/No arguments provided for filter 'site'/);
    } finally {
      await orm.close(true);
    }
  });

  it('is never disabled in src/', () => {
    const { execSync } = require('node:child_process');
    const hits = execSync(`grep -rnE "filters:\\s*(false|\\{)|disableFilters|\\bsite:\\s*false" src || true`, { cwd: path.join(__dirname, '..', '..') }).toString();
    expect(hits.split('\n').filter((l: string) => l && !l.includes('src/db/orm.ts'))).toEqual([]);
  });
});

describe('creating the request role', () => {
  it('is safe when several processes migrate a fresh cluster at once, on one database and on several', async () => {
    const cluster = await startFreshCluster();
    try {
      const admin = new Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('create database one');
      await admin.query('create database two');
      await admin.end();
      const cli = path.join(__dirname, '..', '..', 'dist', 'db', 'migrate-cli.js');
      const migrate = (db: string) =>
        new Promise<{ code: number; stderr: string }>((resolve) =>
          execFile(process.execPath, [cli, withDatabase(cluster.url, db)], (err, _out, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr })),
        );
      const results = await Promise.all(['one', 'one', 'one', 'two', 'two'].map(migrate));
      expect(results.map((r) => (r.code === 0 ? 'ok' : r.stderr.slice(0, 300)))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);

      for (const db of ['one', 'two']) {
        const c = new Client({ connectionString: appRoleUrl(withDatabase(cluster.url, db)) });
        await c.connect();
        expect((await c.query('select current_user as u')).rows[0].u).toBe(APP_ROLE);
        expect(Number((await c.query('select count(*) from orders')).rows[0].count)).toBe(0);
        await c.end();
      }
      const check = new Client({ connectionString: withDatabase(cluster.url, 'one') });
      await check.connect();
      const applied = (await check.query('select name from mikro_orm_migrations')).rows.map((r) => r.name);
      await check.end();
      expect(new Set(applied).size).toBe(applied.length);
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
