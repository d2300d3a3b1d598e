import { randomUUID } from 'node:crypto';
import { audit } from '../../src/domain/audit';
import { ok, refuse, ErrorCode } from '../../src/domain/errors';
import { SiteBindingConnection } from '../../src/db/site-binding';
import { lookup } from '../../src/domain/sql';
import { inSite, onPlatform, readAllInSite, writeInSite } from '../../src/domain/tx';
import { AuditEntry, Product } from '../../src/entities';
import { startTestAegis, type TestAegis } from '../support/aegis';
import {
  ADDRESS,
  addToCart,
  checkout,
  createCart,
  createProduct,
  createSite,
  DETAILS,
  getCart,
  pendingOrder,
  setDetails,
} from '../support/flows';
import { ownerSql } from '../support/sql';
import { setStock, stockLedgerBreaches, stockOf } from '../support/stock-ledger';

/**
 * Statements that travel in another's message (src/db/one-message.ts): an order command's first lookup with its
 * BEGIN, and a command's audit entry with its COMMIT, one round trip fewer each. Their values are inlined, so every
 * kind of text must come back exactly; a failure in either message must roll the whole command back and leave its
 * pooled connection clean.
 */
let t: TestAegis;
let log: string[] = [];
let siteId: string;
let otherSiteId: string;
const SYSTEM = { kind: 'system' as const, name: 'commit-riders-test' };

beforeAll(async () => {
  t = await startTestAegis({ onQuery: (sql) => log.push(sql.replace(/^\[query\]\s*/, '')) });
  siteId = await createSite(t);
  otherSiteId = await createSite(t);
});
afterAll(() => t.close());

const em = () => t.aegis.db.orm.em.fork();
/** A command of this site that writes only its audit entry. */
const auditedProbe = (action: string, entityId: string) =>
  inSite(em(), siteId, async (tx) => {
    audit(tx, SYSTEM, new Date(), { siteId, action, entity: 'Probe', entityId });
    return ok(true);
  });
/** Pooled connections left in a failed transaction: a next command on one of them would fail. */
const abortedConnections = async () =>
  (
    await ownerSql(
      t.dbUrl,
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state = 'idle in transaction (aborted)'`,
    )
  )[0].n;
const auditRows = (entityId: string) =>
  ownerSql(t.dbUrl, `select site_id, action, detail, reason, from_state, to_state, at from audit_log where entity_id = $1`, [entityId]);

it("sends addToCart's audit entry, the lines it shows and its last flush (the order's new total) in COMMIT's own message", async () => {
  const productId = await createProduct(t, siteId, 'RIDE', 250);
  const { cartToken, orderId } = await createCart(t, siteId);
  log = [];
  const added = await addToCart(t, cartToken, siteId, productId, 2);
  expect(added.errors).toBeUndefined();
  const rider = log.findIndex((q) => /^INSERT INTO audit_log AS sent_with_commit\b/.test(q));
  expect(rider).toBeGreaterThan(-1);
  expect(log[rider + 1]).toMatch(
    new RegExp(`^select \\* from \\(select l\\.\\*, .* where l\\.order_id = '${orderId}' .*\\) as sent_with_commit order by id$`),
  );
  expect(log[rider + 2]).toMatch(
    new RegExp(
      `^UPDATE orders AS sent_with_commit SET total_minor = 500, line_count = 1, updated_at = '[^']+' WHERE site_id = '${siteId}' AND id = '${orderId}'$`,
    ),
  );
  expect(log[rider + 3]).toMatch(/^commit\b/i);
  // The lines read with COMMIT are the answer's, as the command left them; no other read of them was sent.
  expect(added.data!.addToCart.order!.lines.map((l) => [l.product.id, l.quantity, l.unitPriceMinor])).toEqual([[productId, 2, 250]]);
  expect(log.filter((q) => /from order_lines l join products/.test(q))).toHaveLength(1);
  // Nothing else writes the audit log or the order in that command: the flush no longer does.
  expect(log.filter((q) => /insert into "?audit_log"?/i.test(q))).toHaveLength(1);
  expect(log.filter((q) => /^update "?orders"?/i.test(q))).toHaveLength(1);
  const rows = await auditRows(orderId);
  expect(rows.filter((r) => r.action === 'order.addToCart').map((r) => JSON.parse(r.detail))).toEqual([{ productId, quantity: 2 }]);
  expect(await ownerSql(t.dbUrl, `select total_minor, line_count from orders where id = $1`, [orderId])).toEqual([
    { total_minor: 500, line_count: 1 },
  ]);
});

it('writes JSON properties and a new row from the last flush as the ORM did: checkout details, then the attempt', async () => {
  const productId = await createProduct(t, siteId, 'JSONS', 100);
  const { cartToken, orderId } = await createCart(t, siteId);
  await addToCart(t, cartToken, siteId, productId, 1);
  const address = { ...ADDRESS, name: 'Zoë O\'Hara \\ "the" 🛒', line1: 'line; with\nnewline' };
  log = [];
  const set = await setDetails(t, cartToken, siteId, { ...DETAILS, shippingAddress: address });
  expect(set.data?.setCheckoutDetails.userErrors).toEqual([]);
  expect(log.some((q) => /^UPDATE orders AS sent_with_commit SET .*shipping_address = /.test(q))).toBe(true);
  const [row] = await ownerSql(t.dbUrl, `select shipping_address, billing_address, email from orders where id = $1`, [orderId]);
  // The domain stores an absent second line as null.
  expect(row.shipping_address).toEqual({ ...address, line2: null });
  expect(row.billing_address).toEqual({ ...ADDRESS, line2: null });
  expect(row.email).toBe(DETAILS.email);
  // Checkout: one new row (the attempt) and the order pointing at it, in that order, with COMMIT.
  log = [];
  await checkout(t, cartToken, siteId);
  const insert = log.findIndex((q) => /^INSERT INTO payment_attempts AS sent_with_commit\b/.test(q));
  expect(insert).toBeGreaterThan(-1);
  expect(log[insert + 1]).toMatch(/^UPDATE orders AS sent_with_commit SET state = 'PENDING_PAYMENT', current_attempt_id = /);
  const [attempt] = await ownerSql(
    t.dbUrl,
    `select a.status, a.amount_minor from payment_attempts a join orders o on o.current_attempt_id = a.id where o.id = $1`,
    [orderId],
  );
  expect(attempt).toEqual({ status: 'PENDING', amount_minor: 100 });
});

it("sends addToCart's locked cart lookup and its product lookup in BEGIN's message, and the command sees both", async () => {
  const productId = await createProduct(t, siteId, 'FIRST', 300);
  const { cartToken, orderId } = await createCart(t, siteId);
  log = [];
  const added = await addToCart(t, cartToken, siteId, productId, 1);
  expect(added.data?.addToCart.order?.totalMinor).toBe(300);
  const begin = log.findIndex((q) => /^BEGIN; SELECT set_config/.test(q));
  expect(begin).toBeGreaterThan(-1);
  expect(log[begin + 1]).toMatch(
    /^SELECT \* FROM \(select \* from orders where site_id = '[0-9a-f-]{36}' and cart_token_hash = '[0-9a-f]{64}' for update\) AS sent_with_begin$/,
  );
  // The product, which does not depend on the cart, in the same message.
  expect(log[begin + 2]).toBe(
    `SELECT * FROM (select * from products where id = '${productId}' and site_id = '${siteId}') AS sent_with_begin`,
  );
  // Neither is sent again on its own.
  expect(log.filter((q) => /from orders where site_id = .* for update/.test(q))).toHaveLength(1);
  expect(log.filter((q) => /from products where id = /.test(q))).toHaveLength(1);
  const [row] = await ownerSql(t.dbUrl, `select total_minor from orders where id = $1`, [orderId]);
  expect(row.total_minor).toBe(300);
});

it('rolls back a BEGIN whose first statement fails, and the connection goes back to the pool clean', async () => {
  const bad = { entity: AuditEntry, sql: 'select * from audit_log where site_id = ? and id = ?::uuid', params: [siteId, 'not-a-uuid'] };
  for (let i = 0; i < 25; i++) {
    await expect(inSite(em(), siteId, async () => ok(true), { bad })).rejects.toThrow(/invalid input syntax for type uuid/);
  }
  const entityId = randomUUID();
  expect((await auditedProbe('probe.afterBadBegin', entityId)).ok).toBe(true);
  expect(await ownerSql(t.dbUrl, `select count(*)::int as n from audit_log where entity_id = $1`, [entityId])).toEqual([{ n: 1 }]);
  expect(await abortedConnections()).toBe(0);
});

it("records checkout's intent as one message with its tenant setting: no BEGIN, no COMMIT", async () => {
  log = [];
  const { orderId, intentId } = await pendingOrder(t, siteId);
  const write = log.findIndex((q) => /^update payment_attempts set intent_id = /.test(q));
  expect(write).toBeGreaterThan(0);
  expect(log[write - 1]).toMatch(/^SELECT set_config\('app\.site_id', '[0-9a-f-]{36}', true\) AS bound_with_write$/);
  expect(log[write]).toContain(`'${intentId}'`);
  expect(await ownerSql(t.dbUrl, `select intent_id from payment_attempts where order_id = $1`, [orderId])).toEqual([
    { intent_id: intentId },
  ]);
});

it('binds a write sent alone to its site, and a failed one leaves nothing behind', async () => {
  const { orderId } = await pendingOrder(t, siteId);
  const [attempt] = await ownerSql(t.dbUrl, `select id, client_secret from payment_attempts where order_id = $1`, [orderId]);
  const rename = (site: string, secret: string) => ({
    sql: 'update payment_attempts set client_secret = ? where site_id = ? and id = ?',
    params: [secret, site, attempt.id],
  });
  const secretNow = async () =>
    (await ownerSql(t.dbUrl, `select client_secret from payment_attempts where id = $1`, [attempt.id]))[0].client_secret;
  // Bound to the other site, row-level security hides this site's attempt: nothing changes, even when the text names it.
  await writeInSite(em(), otherSiteId, rename(siteId, 'changed from another site'));
  expect(await secretNow()).toBe(attempt.client_secret);
  for (let i = 0; i < 25; i++)
    await expect(
      writeInSite(em(), siteId, { sql: 'update payment_attempts set client_secret = ? where id = ?::uuid', params: ['x', 'not-a-uuid'] }),
    ).rejects.toThrow(/invalid input syntax for type uuid/);
  expect(await abortedConnections()).toBe(0);
  await writeInSite(em(), siteId, rename(siteId, "O'Brien\\secret"));
  expect(await secretNow()).toBe("O'Brien\\secret");
});

it('brings every kind of text back exactly: quotes, backslashes, dollar quotes, statements, unicode, newlines', async () => {
  const texts = [
    'O\'Brien\'s "quoted" reason',
    'back\\slash \\\\ and \\x00-looking \\n text',
    "E'not an escape' $$dollar$$ $tag$ also $tag$",
    "'); COMMIT; DROP TABLE audit_log; --",
    'ünïcödé 日本語 🛒 \u200b zero-width',
    'line one\nline two\r\n\ttabbed',
    '',
  ];
  const entityId = randomUUID();
  const at = new Date('2026-12-02T10:11:12.345Z');
  log = [];
  const done = await inSite(em(), siteId, async (tx) => {
    for (const [i, reason] of texts.entries())
      audit(tx, SYSTEM, at, { siteId, action: `probe.${i}`, entity: 'Probe', entityId, reason, detail: { reason, i } });
    return ok(true);
  });
  expect(done.ok).toBe(true);
  const rows = (await auditRows(entityId)).sort((a, b) => a.action.localeCompare(b.action));
  expect(rows.map((r) => r.reason)).toEqual(texts);
  expect(rows.map((r) => JSON.parse(r.detail).reason)).toEqual(texts);
  expect(rows.every((r) => r.site_id === siteId && r.at.getTime() === at.getTime() && r.from_state === null)).toBe(true);
  // Seven entries of one table: one multi-row INSERT, as the ORM's flush batched them.
  const riders = log.filter((q) => /sent_with_commit/.test(q));
  expect(riders).toHaveLength(1);
  expect(riders[0]!.split(entityId).length - 1).toBe(texts.length);
});

it('writes a platform entry with COMMIT too, without a site_id', async () => {
  const entityId = randomUUID();
  log = [];
  const done = await onPlatform(em(), async (tx) => {
    audit(tx, SYSTEM, new Date(), { siteId: null, action: 'probe.platform', entity: 'Probe', entityId });
    return ok(true);
  });
  expect(done.ok).toBe(true);
  expect(log.some((q) => /^INSERT INTO platform_audit_log AS sent_with_commit \(id, at,/.test(q))).toBe(true);
  expect(await ownerSql(t.dbUrl, `select action from platform_audit_log where entity_id = $1`, [entityId])).toEqual([
    { action: 'probe.platform' },
  ]);
});

it('sends nothing of a refused command: its entry rolls back with it', async () => {
  const entityId = randomUUID();
  log = [];
  const refused = await inSite(em(), siteId, async (tx) => {
    audit(tx, SYSTEM, new Date(), { siteId, action: 'probe.refused', entity: 'Probe', entityId });
    return refuse(ErrorCode.VALIDATION, 'no');
  });
  expect(refused.ok).toBe(false);
  expect(log.some((q) => /sent_with_commit/.test(q))).toBe(false);
  expect(await auditRows(entityId)).toEqual([]);
});

it('rolls the whole command back when its rider fails, and the connection goes back to the pool clean', async () => {
  const productId = await createProduct(t, siteId, 'RIDER-FAILS', 100);
  const nameOf = async () => (await ownerSql(t.dbUrl, `select name from products where id = $1`, [productId]))[0].name;
  const name = await nameOf();
  const entityId = randomUUID();
  // Another site's entry in this site's transaction: row-level security refuses it, and only at COMMIT's message.
  const failing = inSite(em(), siteId, async (tx) => {
    await tx.execute(`update products set name = 'renamed by a failed command' where site_id = ? and id = ?`, [siteId, productId]);
    audit(tx, SYSTEM, new Date(), { siteId: otherSiteId, action: 'probe.wrongSite', entity: 'Probe', entityId });
    return ok(true);
  });
  await expect(failing).rejects.toThrow(/row-level security/);
  expect(await nameOf()).toBe(name);
  expect(await ownerSql(t.dbUrl, `select 1 from audit_log where entity_id = $1`, [entityId])).toEqual([]);
  // More commands than the pool has connections: each must find its connection out of any transaction.
  for (let i = 0; i < 25; i++) expect((await auditedProbe('probe.after', entityId)).ok).toBe(true);
  expect(await ownerSql(t.dbUrl, `select count(*)::int as n from audit_log where entity_id = $1`, [entityId])).toEqual([{ n: 25 }]);
  expect(await abortedConnections()).toBe(0);
});

it("sends the webhook's inbox row, attempt and locked order with BEGIN, and its stock sale with COMMIT: two round trips", async () => {
  const productId = await createProduct(t, siteId, 'SOLD', 400);
  await setStock(t, siteId, productId, 5);
  const { cartToken, orderId } = await createCart(t, siteId);
  await addToCart(t, cartToken, siteId, productId, 2);
  await setDetails(t, cartToken, siteId);
  const intentId = (await checkout(t, cartToken, siteId)).data!.checkout.paymentSession!.id;
  expect(await stockOf(t.dbUrl, productId)).toEqual({ onHand: 5, reserved: 2 });
  const event = t.stripe.event('payment_intent.succeeded', t.stripe.succeed(intentId));
  log = [];
  expect((await t.webhook(event)).body.outcome).toBe('confirmed');
  const begin = log.findIndex((q) => /^BEGIN; SELECT set_config/.test(q));
  expect(begin).toBeGreaterThan(-1);
  const sent = log.slice(begin);
  expect(sent[1]).toMatch(
    new RegExp(
      `^WITH written AS \\(insert into webhook_events .* values \\('${siteId}', '${event.id}', .*\\) SELECT \\* FROM written AS sent_with_begin$`,
    ),
  );
  expect(sent[2]).toBe(
    `SELECT * FROM (select * from payment_attempts where site_id = '${siteId}' and intent_id = '${intentId}') AS sent_with_begin`,
  );
  expect(sent[3]).toMatch(/^SELECT \* FROM \(select \* from orders where .* intent_id = '[^']+'\) for update\) AS sent_with_begin$/);
  // Then nothing on its own until COMMIT's message: the audit entries, the sale, the attempt's and the order's updates.
  expect(sent[4]).toMatch(/^INSERT INTO audit_log AS sent_with_commit\b/);
  expect(sent[5]).toMatch(new RegExp(`^with held as .*'${orderId}'.*'SALE'.* as sent_with_commit from settled$`, 's'));
  expect(sent.slice(6, 8).every((q) => /^UPDATE (orders|payment_attempts) AS sent_with_commit SET /.test(q))).toBe(true);
  expect(sent[8]).toMatch(/^commit\b/i);
  expect(sent).toHaveLength(9);
  expect(await stockOf(t.dbUrl, productId)).toEqual({ onHand: 3, reserved: 0 });
  expect(await stockLedgerBreaches(t.dbUrl)).toEqual([]);
  expect(await ownerSql(t.dbUrl, `select state from orders where id = $1`, [orderId])).toEqual([{ state: 'CONFIRMED' }]);

  // The same event again: its inbox row is there, so it changes nothing (the order's lock was taken and let go).
  expect((await t.webhook(event)).body.outcome).toBe('duplicate');
  expect(await stockOf(t.dbUrl, productId)).toEqual({ onHand: 3, reserved: 0 });
  expect(await ownerSql(t.dbUrl, `select count(*)::int as n from webhook_events where id = $1`, [event.id])).toEqual([{ n: 1 }]);
  expect((await auditRows(orderId)).filter((r) => r.to_state === 'CONFIRMED')).toHaveLength(1);
});

it('reads a cart, its lines, attempts and history as two messages of reads, each with its tenant setting: no BEGIN, no COMMIT', async () => {
  const { cartToken, orderId, intentId } = await pendingOrder(t, siteId);
  // A declined payment: three transitions, whose order the answer must keep.
  expect((await t.webhook(t.stripe.event('payment_intent.payment_failed', t.stripe.fail(intentId)))).body.outcome).toBe('failed');
  log = [];
  const cart = await getCart(t, cartToken, siteId);
  expect(cart.errors).toBeUndefined();
  const messages = log.map((q, i) => [q, i] as const).filter(([q]) => q === 'SET TRANSACTION READ ONLY');
  expect(messages).toHaveLength(2);
  expect(log.some((q) => /^(begin|commit)\b/i.test(q))).toBe(false);
  for (const [, at] of messages) expect(log[at + 1]).toBe(`SELECT set_config('app.site_id', '${siteId}', true) AS bound_with_read`);
  const reads = log.filter((q) => q.startsWith('select /* sent_with_read */ '));
  expect(reads.some((q) => /from orders where cart_token_hash = '[0-9a-f]{64}' and site_id = /.test(q))).toBe(true);
  expect(reads.filter((q) => /from order_lines l join products|from payment_attempts|from audit_log/.test(q))).toHaveLength(3);
  // The answer, as the owner reads it.
  const order = cart.data!.cart!;
  expect(order.lines.map((l) => l.quantity)).toEqual([2]);
  const attempts = await ownerSql(t.dbUrl, `select id from payment_attempts where order_id = $1 order by created_at, id`, [orderId]);
  expect(order.paymentAttempts.map((a) => a.id)).toEqual(attempts.map((a) => a.id));
  expect(order.history.map((h) => h.to)).toEqual(['DRAFT', 'PENDING_PAYMENT', 'PAYMENT_FAILED']);
});

it('binds a message of reads to its site, read-only, and a failed one leaves its connection clean', async () => {
  await createProduct(t, otherSiteId, 'OTHER', 100);
  const own = await readAllInSite(em(), siteId, { all: lookup(Product, 'select * from products', []) });
  const [{ n }] = await ownerSql(t.dbUrl, `select count(*)::int as n from products where site_id = $1`, [siteId]);
  // No site filter in the statement: row-level security, bound in the same message, keeps the other site's out.
  expect(own!.all.length).toBe(n);
  expect(own!.all.every((p) => p.siteId === siteId)).toBe(true);
  const connection = t.aegis.db.orm.em.getConnection() as SiteBindingConnection;
  // Only selects are sent; one that would lock rows for writing is refused by the read-only transaction.
  await expect(
    connection.readInOneMessage(siteId, [{ sql: `update products set name = 'written' where site_id = ?`, params: [siteId] }]),
  ).rejects.toThrow(/a read is a select/);
  for (let i = 0; i < 10; i++)
    await expect(
      connection.readInOneMessage(siteId, [{ sql: `select * from products where site_id = ? for update`, params: [siteId] }]),
    ).rejects.toThrow(/read-only transaction/);
  expect(await ownerSql(t.dbUrl, `select count(*)::int as n from products where name = 'written'`)).toEqual([{ n: 0 }]);
  expect(await abortedConnections()).toBe(0);
  expect((await auditedProbe('probe.afterBadRead', randomUUID())).ok).toBe(true);
});
