import { MikroORM } from '@mikro-orm/core';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Client, Pool } from 'pg';
import { APP_ROLE, ormConfig } from '../../src/db/orm';
import { requestRoleName } from '../../src/db/request-role';
import { readInSite } from '../../src/domain/tx';
import { Order, TENANT_ENTITIES } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createTestDatabase, withDatabase } from '../support/databases';
import { startFreshCluster } from '../support/fresh-cluster';
import { requestRoleUrl } from '../support/sql';
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
  const c = new Client({ connectionString: await requestRoleUrl(t.dbUrl) });
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
      const appSees = await asAppRole(async (c) =>
        Number((await c.query(`select count(*) from "${table}" where site_id is not null`)).rows[0].count),
      );
      expect({ table, appSees }).toEqual({ table, appSees: 0 });
      if (['orders', 'products', 'order_lines', 'audit_log'].includes(table)) expect(ownerSees).toBeGreaterThan(0);
    }
  });

  it("shows a transaction bound to site A only site A's rows", async () => {
    const sites = await inSiteAsApp(
      a.siteId,
      async (c) => (await c.query(`select distinct site_id from orders union select distinct site_id from products`)).rows,
    );
    expect(sites).toEqual([{ site_id: a.siteId }]);
  });

  it("refuses a write of site A's rows from a transaction bound to site B", async () => {
    const err = await inSiteAsApp(b.siteId, (c) =>
      c
        .query(
          `insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (gen_random_uuid(), $1, $2, $3, 1, 100)`,
          [a.siteId, a.cart.orderId, a.productId],
        )
        .then(
          () => null,
          (e) => e,
        ),
    );
    expect(err?.code).toBe('42501'); // new row violates row-level security policy
    const update = await inSiteAsApp(b.siteId, (c) => c.query(`update orders set total_minor = 0 where id = $1`, [a.cart.orderId]));
    expect(update.rowCount).toBe(0);
  });

  it("refuses, even for the owner, a line pointing at another site's product (composite foreign key)", async () => {
    const err = await owner
      .query(
        `insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor) values (gen_random_uuid(), $1, $2, $3, 1, 100)`,
        [a.siteId, a.cart.orderId, b.productId],
      )
      .then(
        () => null,
        (e) => e,
      );
    expect(err?.code).toBe('23503'); // foreign_key_violation
  });

  it('forgets the site at commit and at rollback: a pooled connection reused afterwards sees nothing', async () => {
    const pool = new Pool({ connectionString: await requestRoleUrl(t.dbUrl), max: 1 });
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
  const requestRole = () => requestRoleName(new URL(t.dbUrl).pathname.slice(1));

  it('is not a superuser, lacks BYPASSRLS, and owns no table, sequence, function or schema (nor does its group aegis_app)', async () => {
    for (const name of [requestRole(), APP_ROLE]) {
      const role = (await owner.query(`select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles where rolname = $1`, [name]))
        .rows[0];
      expect(role).toEqual({ rolsuper: false, rolbypassrls: false, rolcreaterole: false, rolcreatedb: false });
      const owned = await owner.query(
        `select 'table ' || tablename from pg_tables where tableowner = $1
         union all select 'class ' || relname from pg_class where relowner = (select oid from pg_roles where rolname = $1)
         union all select 'function ' || proname from pg_proc where proowner = (select oid from pg_roles where rolname = $1)
         union all select 'schema ' || nspname from pg_namespace where nspowner = (select oid from pg_roles where rolname = $1)`,
        [name],
      );
      expect(owned.rows).toEqual([]);
    }
    const current = await asAppRole(async (c) => (await c.query('select current_user as u')).rows[0].u);
    expect(current).toBe(requestRole());
  });

  it("is the role the server does request work under: this database's own member of aegis_app, which cannot log in", async () => {
    const users = await t.aegis.db.orm.em.fork().execute<{ u: string }[]>('select current_user as u');
    expect(users[0].u).toBe(requestRole());
    const membership = await owner.query(
      `select g.rolname as group, g.rolcanlogin as group_login, m.rolcanlogin as login from pg_auth_members a
       join pg_roles g on g.oid = a.roleid join pg_roles m on m.oid = a.member where m.rolname = $1`,
      [requestRole()],
    );
    expect(membership.rows).toEqual([{ group: APP_ROLE, group_login: false, login: true }]);
  });

  it("has CONNECT on its own database only, and cannot read the owner's record of its password", async () => {
    const db = new URL(t.dbUrl).pathname.slice(1);
    const grants = await owner.query(
      `select r.rolname as grantee from pg_database d, aclexplode(d.datacl) a left join pg_roles r on r.oid = a.grantee
       where d.datname = $1 and a.privilege_type = 'CONNECT' order by 1`,
      [db],
    );
    // PUBLIC (grantee 0, no role) is gone; the owner keeps its own.
    expect(grants.rows.map((r) => r.grantee)).toEqual(expect.arrayContaining([requestRole()]));
    expect(grants.rows.map((r) => r.grantee)).not.toContain(null);
    const other = new URL(await requestRoleUrl(t.dbUrl));
    other.pathname = `/${process.env.AEGIS_TEST_TEMPLATE}`;
    const elsewhere = new Client({ connectionString: other.toString() });
    await expect(elsewhere.connect()).rejects.toThrow(/permission denied for database|not permitted to log in/);
    await expect(asAppRole((c) => c.query('select password from aegis_owner.request_role'))).rejects.toThrow(/permission denied/);
  });
});

describe('the MikroORM site filter (the ORM layer, independent of row-level security)', () => {
  it("covers every tenant entity, and scopes finds to the transaction's site even for the owner, whom row-level security does not bind", async () => {
    const orm = await MikroORM.init(ormConfig(t.dbUrl, { poolMax: 2 }));
    try {
      // Every entity with a siteId is filtered, but the platform's grants and the gateway inbox.
      const withSite = Object.values(orm.getMetadata().getAll())
        .filter((m) => m.properties.siteId)
        .map((m) => m.className);
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
    const hits = execSync(`grep -rnE "filters:\\s*(false|\\{)|disableFilters|\\bsite:\\s*false" src || true`, {
      cwd: path.join(__dirname, '..', '..'),
    }).toString();
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
          execFile(process.execPath, [cli, withDatabase(cluster.url, db)], (err, _out, stderr) =>
            resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
          ),
        );
      const results = await Promise.all(['one', 'one', 'one', 'two', 'two'].map(migrate));
      expect(results.map((r) => (r.code === 0 ? 'ok' : r.stderr.slice(0, 300)))).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);

      for (const db of ['one', 'two']) {
        const c = new Client({ connectionString: await requestRoleUrl(withDatabase(cluster.url, db)) });
        await c.connect();
        expect((await c.query('select current_user as u')).rows[0].u).toBe(requestRoleName(db));
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

describe('each database its own request role', () => {
  const cli = path.join(__dirname, '..', '..', 'dist', 'db', 'migrate-cli.js');
  /** `node dist/db/migrate-cli.js`, as a deployment's start does it (MikroORM stays out of Jest's realm). */
  const migrate = (url: string, env: NodeJS.ProcessEnv = {}) =>
    new Promise<void>((resolve, reject) =>
      execFile(process.execPath, [cli, url], { env: { PATH: process.env.PATH, ...env } }, (err, _out, stderr) =>
        err ? reject(new Error(stderr)) : resolve(),
      ),
    );
  const canLogin = async (url: string) => {
    const c = new Client({ connectionString: url });
    try {
      await c.connect();
      return (await c.query('select current_user as u')).rows[0].u as string;
    } catch (err) {
      return `refused: ${(err as Error).message}`;
    } finally {
      await c.end().catch(() => undefined);
    }
  };
  const passwordHash = (role: string) =>
    owner.query(`select rolpassword from pg_authid where rolname = $1`, [role]).then((r) => r.rows[0].rolpassword as string);

  it('keeps its password across starts, takes DATABASE_APP_PASSWORD when given, and two deployments on one cluster stay apart', async () => {
    const one = await createTestDatabase();
    const two = await createTestDatabase();
    try {
      await migrate(one.url);
      const first = await requestRoleUrl(one.url);
      const role = new URL(first).username;
      expect(role).toBe(requestRoleName(new URL(one.url).pathname.slice(1)));
      const before = await passwordHash(role);
      await migrate(one.url);
      expect(await requestRoleUrl(one.url)).toBe(first);
      expect(await passwordHash(role)).toBe(before); // not reset on every start

      await migrate(two.url);
      const second = await requestRoleUrl(two.url);
      expect(new URL(second).username).not.toBe(role);
      expect(await canLogin(first)).toBe(role);
      expect(await canLogin(second)).toBe(new URL(second).username);
      // One deployment's role cannot even connect to the other's database.
      const crossed = new URL(first);
      crossed.pathname = new URL(two.url).pathname;
      expect(await canLogin(crossed.toString())).toMatch(/^refused: permission denied for database/);

      await migrate(one.url, { DATABASE_APP_PASSWORD: 'chosen-request-role-password-0123' });
      const chosen = new URL(await requestRoleUrl(one.url));
      expect(chosen.password).toBe('chosen-request-role-password-0123');
      expect(await passwordHash(role)).not.toBe(before);
      expect(await canLogin(chosen.toString())).toBe(role);
      expect(await canLogin(second)).toBe(new URL(second).username);
    } finally {
      await one.drop();
      await two.drop();
    }
  }, 60_000);
});
