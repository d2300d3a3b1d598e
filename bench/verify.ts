import path from 'node:path';
import { sql } from './database';
import { DIST } from './dist';
import { stockProblems } from './verify-stock';

/** The order process's rows as the bench reads them from the build (refusal rows have no `to`). */
type Process = Record<string, readonly { from: readonly string[]; to?: string }[]>;

export interface Expectations {
  /** Webhooks the bench saw answered `confirmed`. */
  confirmed: number;
  /** The sites the bench made: a preloaded database's other sites are not the run's to check. */
  siteIds: string[];
}

export interface Verification {
  orders: number;
  byState: Record<string, number>;
  auditTransitions: number;
  problems: string[];
}

/**
 * Reads the database as the owner (no row-level security in the way) after the run and checks what the
 * load must not break: legal states, a complete transition trail, one succeeded attempt per CONFIRMED order,
 * totals that match the lines, and exactly as many CONFIRMED orders as the bench saw confirmed.
 */
export async function verify(ownerUrl: string, expect: Expectations): Promise<Verification> {
  const { ORDER_TABLE } = require(path.join(DIST, 'domain/order/process.js')) as { ORDER_TABLE: Process };
  const { NONE, SAME } = require(path.join(DIST, 'domain/machine.js')) as { NONE: string; SAME: string };
  const { OrderState } = require(path.join(DIST, 'entities/states.js')) as { OrderState: Record<string, string> };
  const states = new Set(Object.values(OrderState));
  // Every move of the table; a row from NONE (the cart's creation) is audited from null. Self-loops write no history.
  const moves = Object.values(ORDER_TABLE).flatMap((rows) => rows.filter((r) => r.to && r.to !== SAME));
  const legalEdge = new Set(moves.flatMap((r) => r.from.map((f) => `${f === NONE ? 'null' : f}->${r.to}`)));

  const orders = await sql<{
    id: string;
    state: string;
    total_minor: number;
    line_count: number;
    lines_total: string | null;
    lines: string;
  }>(
    ownerUrl,
    `select o.id, o.state, o.total_minor, o.line_count,
            (select sum(l.quantity * l.unit_price_minor) from order_lines l where l.order_id = o.id) as lines_total,
            (select count(*) from order_lines l where l.order_id = o.id) as lines
       from orders o where o.site_id = any($1)`,
    [expect.siteIds],
  );
  const trail = await sql<{ entity_id: string; from_state: string | null; to_state: string }>(
    ownerUrl,
    `select entity_id, from_state, to_state from audit_log
      where site_id = any($1) and entity = 'Order' and to_state is not null order by entity_id, at, id`,
    [expect.siteIds],
  );
  const attempts = await sql<{ order_id: string; status: string; amount_minor: number; intent_id: string | null; needs_refund: boolean }>(
    ownerUrl,
    `select order_id, status, amount_minor, intent_id, needs_refund from payment_attempts where site_id = any($1)`,
    [expect.siteIds],
  );

  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < 50) problems.push(p);
  };
  const trailOf = new Map<string, { from: string | null; to: string }[]>();
  for (const t of trail) {
    let list = trailOf.get(t.entity_id);
    if (!list) trailOf.set(t.entity_id, (list = []));
    list.push({ from: t.from_state, to: t.to_state });
  }
  const attemptsOf = new Map<string, typeof attempts>();
  for (const a of attempts) {
    let list = attemptsOf.get(a.order_id);
    if (!list) attemptsOf.set(a.order_id, (list = []));
    list.push(a);
  }

  const byState: Record<string, number> = {};
  for (const o of orders) {
    byState[o.state] = (byState[o.state] ?? 0) + 1;
    if (!states.has(o.state)) problem(`order ${o.id}: illegal state ${o.state}`);
    const steps = trailOf.get(o.id) ?? [];
    let at: string | null = null;
    for (const s of steps) {
      if (s.from !== at) problem(`order ${o.id}: audit trail jumps from ${at} to a transition out of ${s.from}`);
      if (!legalEdge.has(`${s.from}->${s.to}`)) problem(`order ${o.id}: audited transition ${s.from}->${s.to} is not in the state table`);
      at = s.to;
    }
    if (at !== o.state) problem(`order ${o.id}: state ${o.state} but its audit trail ends at ${at}`);
    if (Number(o.lines_total ?? 0) !== o.total_minor)
      problem(`order ${o.id}: total ${o.total_minor} but lines sum to ${o.lines_total ?? 0}`);
    if (Number(o.lines) !== o.line_count) problem(`order ${o.id}: line_count ${o.line_count} but ${o.lines} lines`);
    const own = attemptsOf.get(o.id) ?? [];
    const succeeded = own.filter((a) => a.status === 'SUCCEEDED');
    if (o.state === 'CONFIRMED') {
      if (succeeded.length !== 1) problem(`order ${o.id}: CONFIRMED with ${succeeded.length} SUCCEEDED attempts`);
      else if (succeeded[0].amount_minor !== o.total_minor || !succeeded[0].intent_id || succeeded[0].needs_refund) {
        problem(`order ${o.id}: CONFIRMED but its attempt is ${JSON.stringify(succeeded[0])} for total ${o.total_minor}`);
      }
    } else if (succeeded.some((a) => !a.needs_refund))
      problem(`order ${o.id}: ${o.state} with a SUCCEEDED attempt not flagged needsRefund`);
  }
  const confirmed = byState.CONFIRMED ?? 0;
  if (confirmed !== expect.confirmed) problem(`${confirmed} CONFIRMED orders in the database, the bench saw ${expect.confirmed} confirmed`);
  for (const p of await stockProblems(ownerUrl)) problem(p);
  return { orders: orders.length, byState, auditTransitions: trail.length, problems };
}
