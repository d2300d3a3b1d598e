import { MikroORM } from '@mikro-orm/core';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { ormConfig } from '../../src/db/orm';
import { createTestDatabase, withDatabase } from '../support/databases';

/**
 * The schema can be distributed by site_id (Citus; README "Scaling out"): read from the catalog of the migrated
 * database, so that every later migration is held to it too. A tenant table is any table of the app schema with a
 * site_id column; the platform and reference tables below are the only ones without one, or exempt.
 */
const PLATFORM_TABLES = ['admin_sites', 'admins', 'mikro_orm_migrations', 'platform_audit_log', 'platform_webhook_events', 'sites'];

/** Every way the app schema breaks the rules, one line naming the table and the constraint. */
async function shardKeyViolations(c: Client): Promise<string[]> {
  const tables = (
    await c.query<{ table: string; site_id: boolean; nullable: boolean }>(
      `select t.relname as table, a.attname is not null as site_id, not coalesce(a.attnotnull, false) as nullable
       from pg_class t join pg_namespace n on n.oid = t.relnamespace
       left join pg_attribute a on a.attrelid = t.oid and a.attname = 'site_id' and not a.attisdropped
       where n.nspname = 'public' and t.relkind in ('r', 'p') order by 1`,
    )
  ).rows;
  const tenant = new Set(tables.filter((t) => t.site_id && !PLATFORM_TABLES.includes(t.table)).map((t) => t.table));
  const found: string[] = [];
  for (const t of tables) {
    if (!t.site_id && !PLATFORM_TABLES.includes(t.table)) found.push(`${t.table}: no site_id column, and not listed as a platform table`);
    if (tenant.has(t.table) && t.nullable) found.push(`${t.table}.site_id: nullable (NULL cannot be a distribution value)`);
  }
  const keys = (
    await c.query<{ table: string; name: string; kind: string; cols: string[]; target: string | null; target_cols: string[] | null }>(
      `select t.relname as table, k.conname as name, k.contype as kind,
         array(select a.attname::text from unnest(k.conkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.n order by u.i) as cols,
         r.relname as target,
         array(select a.attname::text from unnest(k.confkey) with ordinality u(n, i) join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.n order by u.i) as target_cols
       from pg_constraint k join pg_class t on t.oid = k.conrelid join pg_namespace n on n.oid = t.relnamespace
       left join pg_class r on r.oid = k.confrelid
       where n.nspname = 'public' and k.contype in ('p', 'u', 'f', 'x') order by 1, 2`,
    )
  ).rows;
  for (const t of tenant) if (!keys.some((k) => k.table === t && k.kind === 'p')) found.push(`${t}: no primary key`);
  for (const k of keys.filter((x) => tenant.has(x.table))) {
    const what = `${k.table}.${k.name}`;
    if (k.kind === 'p' && !k.cols.includes('site_id')) found.push(`${what}: PRIMARY KEY (${k.cols.join(', ')}) lacks site_id`);
    if ((k.kind === 'u' || k.kind === 'x') && !k.cols.includes('site_id'))
      found.push(`${what}: UNIQUE (${k.cols.join(', ')}) lacks site_id`);
    // Between tenant tables, site_id must meet site_id: the rows then share a shard.
    const i = k.cols.indexOf('site_id');
    if (k.kind === 'f' && tenant.has(k.target!) && (i < 0 || k.target_cols![i] !== 'site_id'))
      found.push(`${what}: FOREIGN KEY (${k.cols.join(', ')}) -> ${k.target} (${k.target_cols!.join(', ')}) lacks site_id on both sides`);
  }
  // A unique index without a constraint (CREATE UNIQUE INDEX) binds the same way.
  const indexes = (
    await c.query<{ table: string; name: string; def: string }>(
      `select t.relname as table, i.relname as name, pg_get_indexdef(i.oid) as def
       from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid join pg_namespace n on n.oid = t.relnamespace
       where n.nspname = 'public' and x.indisunique and not exists (select 1 from pg_constraint k where k.conindid = i.oid)
         and not exists (select 1 from unnest(x.indkey) u(n) join pg_attribute a on a.attrelid = t.oid and a.attnum = u.n where a.attname = 'site_id')`,
    )
  ).rows;
  for (const ix of indexes.filter((x) => tenant.has(x.table))) found.push(`${ix.table}.${ix.name}: unique index lacks site_id (${ix.def})`);
  return found;
}

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let c: Client;

beforeAll(async () => {
  db = await createTestDatabase();
  c = new Client({ connectionString: db.url });
  await c.connect();
});
afterAll(async () => {
  await c?.end();
  await db?.drop();
});

describe('the schema is ready to shard by site_id', () => {
  it('keys every tenant table by site_id: primary keys, unique constraints, foreign keys between tenants, NOT NULL', async () => {
    expect(await shardKeyViolations(c)).toEqual([]);
  });

  it('lists platform tables that exist, and only admin_sites of them carries a site_id', async () => {
    const rows = (
      await c.query<{ table: string; site_id: boolean }>(
        `select t.relname as table, exists (select 1 from pg_attribute a where a.attrelid = t.oid and a.attname = 'site_id') as site_id
         from pg_class t join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'public' and t.relkind = 'r' and t.relname = any($1)`,
        [PLATFORM_TABLES],
      )
    ).rows;
    expect(rows.map((r) => r.table).sort()).toEqual([...PLATFORM_TABLES].sort());
    expect(rows.filter((r) => r.site_id).map((r) => r.table)).toEqual(['admin_sites']);
  });

  it('names the table and the constraint of every rule a new table breaks', async () => {
    await c.query('begin');
    try {
      await c.query(`
        alter table orders add constraint orders_id_key unique (id);
        create table bad_notes (id uuid primary key, site_id uuid, order_id uuid, token text unique, foreign key (order_id) references orders (id) deferrable);
        create table bad_unlisted (id uuid primary key);
        create unique index bad_notes_order on bad_notes (order_id);`);
      // The foreign key needs a unique key on orders (id) alone: itself what the rules forbid.
      expect(await shardKeyViolations(c)).toEqual([
        'bad_notes.site_id: nullable (NULL cannot be a distribution value)',
        'bad_unlisted: no site_id column, and not listed as a platform table',
        'bad_notes.bad_notes_order_id_fkey: FOREIGN KEY (order_id) -> orders (id) lacks site_id on both sides',
        'bad_notes.bad_notes_pkey: PRIMARY KEY (id) lacks site_id',
        'bad_notes.bad_notes_token_key: UNIQUE (token) lacks site_id',
        'orders.orders_id_key: UNIQUE (id) lacks site_id',
        'bad_notes.bad_notes_order: unique index lacks site_id (CREATE UNIQUE INDEX bad_notes_order ON public.bad_notes USING btree (order_id))',
      ]);
    } finally {
      await c.query('rollback');
    }
  });
});

describe('the shard-keys migration on a database with data', () => {
  const SITE = '0190c0de-0000-7000-8000-000000000001';
  let url: string;
  let orm: MikroORM | undefined;
  const name = `aegis_sk_${randomBytes(6).toString('hex')}`;
  const server = () => new Client({ connectionString: process.env.AEGIS_TEST_SERVER_URL });

  beforeAll(async () => {
    const s = server();
    await s.connect();
    await s.query(`create database ${name}`);
    await s.end();
    url = withDatabase(process.env.AEGIS_TEST_SERVER_URL!, name);
    orm = await MikroORM.init(ormConfig(url, { poolMax: 2 }));
  });
  afterAll(async () => {
    await orm?.close(true);
    const s = server();
    await s.connect();
    await s.query(`drop database if exists ${name} with (force)`);
    await s.end();
  });

  it('moves platform rows to their tables and keeps every site row', async () => {
    await orm!.getMigrator().up({ to: 'Migration20261203010000_login_limits' });
    const owner = new Client({ connectionString: url });
    await owner.connect();
    try {
      await owner.query(
        `insert into sites (id, name, currency, created_at) values ($1, 'A', 'EUR', now());
         insert into orders (id, site_id, state, currency, cart_token_hash, total_minor, line_count, created_at, updated_at)
           values ('0190c0de-0000-7000-8000-0000000000b1', $1, 'DRAFT', 'EUR', 'h', 0, 0, now(), now());
         insert into audit_log (id, site_id, at, actor, action, entity, entity_id) values
           ('0190c0de-0000-7000-8000-0000000000f1', $1, now(), 'visitor', 'order.create', 'Order', 'o1'),
           ('0190c0de-0000-7000-8000-0000000000f2', null, now(), 'system:bootstrap', 'admin.bootstrap', 'Admin', 'a1');
         insert into webhook_events (id, provider, type, site_id, received_at) values
           ('evt_site', 'stripe', 'payment_intent.succeeded', $1, now()), ('evt_platform', 'stripe', 'charge.updated', null, now());`.replace(
          /\$1/g,
          `'${SITE}'`,
        ),
      );
      await orm!.getMigrator().up();
      const rows = async (sql: string) => (await owner.query(sql)).rows;
      expect(await rows(`select site_id, action from audit_log`)).toEqual([{ site_id: SITE, action: 'order.create' }]);
      expect(await rows(`select id, action, actor from platform_audit_log`)).toEqual([
        { id: '0190c0de-0000-7000-8000-0000000000f2', action: 'admin.bootstrap', actor: 'system:bootstrap' },
      ]);
      expect(await rows(`select site_id, id from webhook_events`)).toEqual([{ site_id: SITE, id: 'evt_site' }]);
      expect(await rows(`select id, type from platform_webhook_events`)).toEqual([{ id: 'evt_platform', type: 'charge.updated' }]);
      expect(await rows(`select count(*)::int as n from orders`)).toEqual([{ n: 1 }]);
      // The audit log is append-only again once the move is done.
      await expect(owner.query(`delete from audit_log`)).rejects.toThrow('audit_log is append-only: DELETE refused');
    } finally {
      await owner.end();
    }
  });
});
