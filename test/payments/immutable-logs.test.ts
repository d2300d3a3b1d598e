import { ok } from '../../src/domain/errors';
import { inSite } from '../../src/domain/tx';
import { AuditEntry, PaymentFailure } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { requestRoleUrl } from '../support/sql';
import { failedOrder, sql } from './support';

let t: TestAegis;
let siteId: string;
let orderId: string;

beforeAll(async () => {
  t = await startTestAegis();
  ({ siteId, orderId } = await failedOrder(t));
});
afterAll(() => t.close());

const TABLES = [
  { table: 'audit_log', entity: AuditEntry },
  { table: 'payment_failures', entity: PaymentFailure },
] as const;

const fingerprint = async (table: string) =>
  (await sql(t.dbUrl, `select md5(string_agg(x::text, '|' order by x::text)) as print, count(*)::int as n from ${table} x`))[0];

describe.each(TABLES)('$table is append-only', ({ table, entity }) => {
  it('has rows to protect', async () => {
    expect((await fingerprint(table)).n).toBeGreaterThan(0);
  });

  it('refuses UPDATE and DELETE through the ORM (the request role)', async () => {
    const before = await fingerprint(table);
    const em = t.aegis.db.orm.em.fork();
    const attempts: Array<() => Promise<unknown>> = [
      () => inSite(em, siteId, async (tx) => ok(await tx.nativeUpdate(entity, { siteId }, { reason: 'rewritten' }))),
      () => inSite(em, siteId, async (tx) => ok(await tx.nativeDelete(entity, { siteId }))),
      () =>
        inSite(em.fork(), siteId, async (tx) => {
          const row = await tx.findOneOrFail(entity, { siteId, reason: { $ne: null } });
          row.reason = 'rewritten';
          await tx.flush();
          return ok(null);
        }),
      () =>
        inSite(em.fork(), siteId, async (tx) => {
          tx.remove(await tx.findOneOrFail(entity, { siteId }));
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
