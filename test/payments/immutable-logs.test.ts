import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ok, type Result } from '../../src/domain/errors';
import { inSite, onPlatform, readInSite, readOnPlatform } from '../../src/domain/tx';
import { AuditEntry, PaymentFailure, PlatformAuditEntry, StockMovement } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createProduct, pendingOrder } from '../support/flows';
import { setStock } from '../support/stock-ledger';
import { requestRoleUrl } from '../support/sql';
import { failedOrder, sql } from './support';

let t: TestAegis;
let siteId: string;
let orderId: string;
const UNHELD_INTENT = 'pi_no_site_holds_this';

beforeAll(async () => {
  t = await startTestAegis();
  ({ siteId, orderId } = await failedOrder(t));
  // A stock ledger row (an admin's count), with a reason.
  await setStock(t, siteId, await createProduct(t, siteId, 'LEDGER', 100), 7, 'first count');
  // An event for an intent no site holds: audited on the platform, with a reason.
  const pi = { ...t.stripe.succeed((await pendingOrder(t, siteId)).intentId), id: UNHELD_INTENT, metadata: {} };
  expect((await t.webhook(t.stripe.event('payment_intent.succeeded', pi))).body.outcome).toBe('unmatched');
});
afterAll(() => t.close());

type Work = (tx: EntityManager) => Promise<Result<unknown>>;
/** A site's rows are written in a transaction bound to the site; the platform's in one bound to none. */
const inOwnSite = (em: EntityManager, work: Work) => inSite(em, siteId, work);

/** What the three logs share, for the ORM's attempts; `where` picks rows of the log's own scope. */
interface Logged {
  id: string;
  reason: string | null;
}
interface Log {
  table: string;
  entity: EntityClass<Logged>;
  run: (em: EntityManager, work: Work) => Promise<Result<unknown>>;
  where: () => FilterQuery<Logged>;
}
const rowsOf = <E>(filter: FilterQuery<E>) => filter as FilterQuery<Logged>;

const TABLES: Log[] = [
  { table: 'audit_log', entity: AuditEntry, run: inOwnSite, where: () => rowsOf<AuditEntry>({ siteId }) },
  { table: 'payment_failures', entity: PaymentFailure, run: inOwnSite, where: () => rowsOf<PaymentFailure>({ siteId }) },
  { table: 'stock_movements', entity: StockMovement, run: inOwnSite, where: () => rowsOf<StockMovement>({ siteId }) },
  {
    table: 'platform_audit_log',
    entity: PlatformAuditEntry,
    run: onPlatform,
    where: () => rowsOf<PlatformAuditEntry>({ entityId: UNHELD_INTENT }),
  },
];

const fingerprint = async (table: string) =>
  (await sql(t.dbUrl, `select md5(string_agg(x::text, '|' order by x::text)) as print, count(*)::int as n from ${table} x`))[0];

describe.each(TABLES)('$table is append-only', ({ table, entity, run, where }) => {
  it('has rows to protect', async () => {
    expect((await fingerprint(table)).n).toBeGreaterThan(0);
  });

  it('refuses UPDATE and DELETE through the ORM (the request role)', async () => {
    const before = await fingerprint(table);
    const em = t.aegis.db.orm.em.fork();
    const attempts: Array<() => Promise<unknown>> = [
      () => run(em, async (tx) => ok(await tx.nativeUpdate(entity, where(), { reason: 'rewritten' }))),
      () => run(em, async (tx) => ok(await tx.nativeDelete(entity, where()))),
      () =>
        run(em.fork(), async (tx) => {
          const row = await tx.findOneOrFail(entity, { $and: [where(), { reason: { $ne: null } }] });
          row.reason = 'rewritten';
          await tx.flush();
          return ok(null);
        }),
      () =>
        run(em.fork(), async (tx) => {
          tx.remove(await tx.findOneOrFail(entity, where()));
          await tx.flush();
          return ok(null);
        }),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toThrow(/permission denied/);
    expect(await fingerprint(table)).toEqual(before);
  });

  it('refuses UPDATE, DELETE and TRUNCATE through raw SQL, as the request role and as the owner', async () => {
    const before = await fingerprint(table);
    for (const url of [await requestRoleUrl(t.dbUrl), t.dbUrl]) {
      await expect(sql(url, `update ${table} set reason = 'rewritten'`)).rejects.toThrow(/permission denied|append-only/);
      await expect(sql(url, `delete from ${table}`)).rejects.toThrow(/permission denied|append-only/);
      await expect(sql(url, `truncate ${table}`)).rejects.toThrow(/permission denied|append-only/);
    }
    // The owner is refused by the trigger itself, not merely by a missing grant.
    await expect(sql(t.dbUrl, `delete from ${table}`)).rejects.toThrow(`${table} is append-only: DELETE refused`);
    expect(await fingerprint(table)).toEqual(before);
  });
});

it('keeps the payment failure readable to the request role of its own site only', async () => {
  const em = t.aegis.db.orm.em.fork();
  const own = await inSite(em, siteId, async (tx) => ok(await tx.find(PaymentFailure, {})));
  expect(own.ok && own.value.map((f) => f.orderId)).toEqual([orderId]);
  const other = await failedOrder(t);
  const elsewhere = await inSite(em.fork(), other.siteId, async (tx) => ok(await tx.find(PaymentFailure, {})));
  expect(elsewhere.ok && elsewhere.value.map((f) => f.orderId)).toEqual([other.orderId]);
});

it('keeps platform audit entries to transactions bound to no site', async () => {
  const em = t.aegis.db.orm.em.fork();
  const onThePlatform = await readOnPlatform(em, (tx) => tx.find(PlatformAuditEntry, { entityId: UNHELD_INTENT }));
  expect(onThePlatform.map((e) => e.action)).toEqual(['payment.unmatched']);
  expect(await readInSite(em.fork(), siteId, (tx) => tx.count(PlatformAuditEntry, {}))).toBe(0);
  const written = inSite(em.fork(), siteId, async (tx) => {
    tx.persist(new PlatformAuditEntry({ at: new Date(), actor: 'test', action: 'forged', entity: 'Site', entityId: siteId }));
    return ok(null);
  });
  await expect(written).rejects.toThrow(/row-level security/);
});
