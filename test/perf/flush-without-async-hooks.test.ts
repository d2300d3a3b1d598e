import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { ok } from '../../src/domain/errors';
import { onPlatform } from '../../src/domain/tx';
import { PlatformAuditEntry } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import { createSite } from '../support/flows';
import { ownerSql } from '../support/sql';
import { createSiteAdmin } from '../support/two-sites';

/**
 * A flush must not run an AsyncLocalStorage (src/db/flush-without-async-hooks.ts): on Node 20 the first run turns
 * on async hooks for the whole process, and every later request pays for them.
 */
let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis();
});
afterAll(() => t.close());
afterEach(() => jest.restoreAllMocks());

const entry = (action: string, entityId: string) =>
  new PlatformAuditEntry({ at: new Date(), actor: 'system:flush-test', action, entity: 'Probe', entityId });

it('writes an admin command that flushes without running any AsyncLocalStorage', async () => {
  const run = jest.spyOn(AsyncLocalStorage.prototype, 'run');
  const enterWith = jest.spyOn(AsyncLocalStorage.prototype, 'enterWith');
  const siteId = await createSite(t);
  // createSiteAdmin flushes its unit of work (the admin and its grant) before it answers.
  const adminId = await createSiteAdmin(t, `flush-${randomUUID().slice(0, 8)}@example.com`, [siteId]);
  expect(await ownerSql(t.dbUrl, `select site_id from admin_sites where admin_id = $1`, [adminId])).toEqual([{ site_id: siteId }]);
  expect(run).not.toHaveBeenCalled();
  expect(enterWith).not.toHaveBeenCalled();
});

it('queues a second flush of one fork behind the one running, and writes both', async () => {
  const [a, b] = [randomUUID(), randomUUID()];
  const done = await onPlatform(t.aegis.db.orm.em.fork(), async (tx) => {
    tx.persist(entry('probe.first', a));
    const first = tx.flush();
    tx.persist(entry('probe.second', b));
    const second = tx.flush();
    await Promise.all([first, second]);
    return ok(true);
  });
  expect(done.ok).toBe(true);
  const rows = await ownerSql(t.dbUrl, `select action from platform_audit_log where entity_id in ($1, $2) order by action`, [a, b]);
  expect(rows).toEqual([{ action: 'probe.first' }, { action: 'probe.second' }]);
});

it('rolls back what a failed flush wrote, and the unit of work takes the next flush', async () => {
  const [kept, broken, next] = [randomUUID(), randomUUID(), randomUUID()];
  const em = t.aegis.db.orm.em.fork();
  await expect(
    onPlatform(em, async (tx) => {
      tx.persist(entry('probe.flushed-first', kept));
      await tx.flush();
      // A required column left null: the flush fails, and the whole transaction with it.
      tx.persist(Object.assign(entry('probe.broken', broken), { action: null }));
      await tx.flush();
      return ok(true);
    }),
  ).rejects.toThrow(/PlatformAuditEntry.action is required/);
  const count = async (entityId: string) =>
    (await ownerSql(t.dbUrl, `select count(*)::int as n from platform_audit_log where entity_id = $1`, [entityId]))[0].n;
  expect(await count(kept)).toBe(0);
  expect(await count(broken)).toBe(0);
  const done = await onPlatform(em, async (tx) => {
    tx.persist(entry('probe.next', next));
    await tx.flush();
    return ok(true);
  });
  expect(done.ok).toBe(true);
  expect(await count(next)).toBe(1);
});
