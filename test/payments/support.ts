import { ownerSql } from '../support/sql';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RefundOrderDocument, RetryPaymentDocument } from '../../clients/generated/graphql';
import type { TestAegis } from '../support/aegis';
import { pendingOrder } from '../support/flows';

/** Runs SQL as the database owner, outside the API, to prove what the database holds. */
export const sql = ownerSql;

export const orderState = async (t: Pick<TestAegis, 'dbUrl'>, orderId: string): Promise<string> =>
  (await sql(t.dbUrl, `select state from orders where id = $1`, [orderId]))[0].state;

export const attemptsOf = (t: Pick<TestAegis, 'dbUrl'>, orderId: string) =>
  sql(
    t.dbUrl,
    `select id, status, intent_id, idempotency_key, needs_refund, refunded, failure_reason from payment_attempts where order_id = $1 order by created_at, id`,
    [orderId],
  );

/** The order's transitions as recorded in the audit log, oldest first. */
export const transitionsOf = async (t: Pick<TestAegis, 'dbUrl'>, orderId: string): Promise<string[]> =>
  (
    await sql(t.dbUrl, `select from_state, to_state from audit_log where entity_id = $1 and to_state is not null order by at, id`, [
      orderId,
    ])
  ).map((r) => `${r.from_state ?? '-'}>${r.to_state}`);

export const retryPayment = (t: TestAegis, cartToken: string, siteId: string, orderId: string) =>
  t.op(RetryPaymentDocument, { siteId, orderId }, { cartToken });

export const refundOrder = (t: TestAegis, token: string, siteId: string, orderId: string, reason = 'customer asked') =>
  t.op(RefundOrderDocument, { siteId, orderId, reason }, { token });

/** Delivers the gateway's payment_intent.payment_failed for the intent. */
export const declined = (t: TestAegis, intentId: string, reason = 'Your card was declined.') =>
  t.webhook(t.stripe.event('payment_intent.payment_failed', t.stripe.fail(intentId, reason)));

/** Delivers the gateway's payment_intent.succeeded for the intent. */
export const paid = (t: TestAegis, intentId: string) => t.webhook(t.stripe.event('payment_intent.succeeded', t.stripe.succeed(intentId)));

/** A PENDING_PAYMENT order whose payment the gateway declined: PAYMENT_FAILED. */
export async function failedOrder(t: TestAegis, siteId?: string) {
  const o = await pendingOrder(t, siteId);
  const r = await declined(t, o.intentId);
  if (r.body.outcome !== 'failed') throw new Error(`decline not applied: ${JSON.stringify(r)}`);
  return o;
}

/** A CONFIRMED order, paid through the webhook. */
export async function confirmedOrder(t: TestAegis, siteId?: string) {
  const o = await pendingOrder(t, siteId);
  const r = await paid(t, o.intentId);
  if (r.body.outcome !== 'confirmed') throw new Error(`payment not applied: ${JSON.stringify(r)}`);
  return o;
}

/** Queues an expiry run through the server's job queue and waits until pg-boss reports it finished. */
export async function runExpiryJob(t: TestAegis): Promise<'completed' | 'failed'> {
  const id = await t.aegis.jobs.triggerExpiry();
  if (!id) throw new Error('an expiry run is already queued');
  return waitForJob(t.dbUrl, id);
}

export async function waitForJob(dbUrl: string, id: string, timeoutMs = 20_000): Promise<'completed' | 'failed'> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const [job] = await sql(dbUrl, `select state from pgboss.job where id = $1`, [id]);
    if (job?.state === 'completed' || job?.state === 'failed') return job.state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`job ${id} did not finish in ${timeoutMs} ms`);
}

/** An HTTP endpoint standing in for ALERT_WEBHOOK_URL: it keeps every alert POSTed to it. */
export interface AlertInbox {
  url: string;
  alerts: { kind: string; message: string; fields: Record<string, unknown>; suppressed: number }[];
  /** Resolves once an alert of this kind has arrived. */
  waitFor(kind: string, timeoutMs?: number): Promise<AlertInbox['alerts'][number]>;
  close(): Promise<void>;
}

export async function startAlertInbox(): Promise<AlertInbox> {
  const alerts: AlertInbox['alerts'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      alerts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    alerts,
    async waitFor(kind, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const found = alerts.find((a) => a.kind === kind);
        if (found) return found;
        if (Date.now() > until) throw new Error(`no ${kind} alert; got ${JSON.stringify(alerts.map((a) => a.kind))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
