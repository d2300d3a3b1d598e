import type { EntityManager } from '@mikro-orm/postgresql';
import type { Order, PaymentAttempt } from '../../../entities';
import type { Actor } from '../../actor';
import type { DomainDeps } from '../../deps';
import { notFound, ok, type Result } from '../../errors';
import { refusedBy } from '../../machine';
import { selectLookup, type Lookup } from '../../sql';
import { inSite, readInSite } from '../../tx';
import type { BeforeOutcomes, OrderFacts } from '../facts';
import { DECIDED_TWICE, type OrderEvent } from '../process';
import { currentAttempt } from '../repository';
import { EFFECTS, snapshot, type EffectOutcomes, type EffectPlan } from './effects';
import { applyOrderMove, decideOrder, type AuditExtra, type Move, type OrderDecision } from './moves';
import { outcomesRefusedAtCommit, RECORDS, type RecordContext } from './records';

/** One command of the order process, as the runner takes it: which order, which event, who, and what else to read. */
export interface OrderEventRequest<B extends object = never> {
  siteId: string;
  event: OrderEvent;
  actor: Actor;
  /**
   * The lookup of the order, row-locked when `lock` (the move's transaction, where it is sent with BEGIN); null
   * when it cannot match (a malformed id). Absent for the event that creates it.
   */
  find?: (lock: boolean) => Lookup<Order> | null;
  /** One more lookup the move's transaction needs, independent of the order (addToCart's product): sent with the same BEGIN. */
  beside?: Lookup<B> | null;
  /** What NOT_FOUND names when `find` finds nothing. */
  notFound?: { what: string; field?: string[] };
  /** Facts beyond the order and its current attempt; `early` is the unlocked decision's facts and the outcomes of its before-effects, once they ran. */
  facts?: (tx: EntityManager, order: Order | null, early: Preflight | null) => Promise<Partial<OrderFacts>>;
  /** The command's own writes in the move's transaction, after the decision (a cart edit, a new cart). */
  change?: (
    tx: EntityManager,
    order: Order | null,
    facts: OrderFacts,
    decision: Extract<OrderDecision, { ok: true }>,
    beside: B | null,
  ) => Promise<Result<Order>>;
  audit?: AuditExtra | ((facts: OrderFacts, order: Order) => AuditExtra);
  /** refund: the admin's reason, carried to the effects' audit entries. */
  reason?: string | null;
}

/** A request as the phases before and around its change read it: whatever its lookup beside the order. */
type RequestFacts = Omit<OrderEventRequest, 'change' | 'beside'>;

/** What the unlocked first decision saw, and what its before-effects did. */
export interface Preflight {
  facts: OrderFacts;
  outcomes: BeforeOutcomes;
}

export interface OrderEventResult {
  order: Order;
  outcomes: EffectOutcomes;
}

/** Reported once the move's transaction committed: a rolled-back move is never counted. */
export function reportMoves(deps: DomainDeps, moves: readonly Move[]): void {
  for (const m of moves) deps.metrics?.orderTransition(m.event, m.from, m.to);
}

/**
 * THE order runner. Every order command goes through the same phases:
 *  1. lock the order (its lookup sent with BEGIN, one round trip for both) and load the facts;       2. `decide` (pure);
 *  3. apply the move, its audit entry and the row's "before" records;   4. commit (where a record sent with it may
 *     still refuse: refusedAtCommit);
 *  5. run the row's effects outside the transaction, with the attempt's idempotency keys;
 *  6. record each outcome, or its failure record and alert, in a short transaction of its own (src/domain/order/runner/effects.ts).
 * A row with effects that must run before the move (expiry cancels the intent first, refund pays back first) is
 * decided once without the lock, its effects run and are recorded, then phases 1-4 run with their outcomes as facts.
 */
export async function runOrderEvent<B extends object = never>(
  em: EntityManager,
  deps: DomainDeps,
  req: OrderEventRequest<B>,
): Promise<Result<OrderEventResult>> {
  let early: Preflight | null = null;
  if (DECIDED_TWICE.has(req.event)) {
    const first = await preflight(em, deps, req);
    if (!first.ok) return first;
    early = first.value;
  }

  let moves: Move[] = [];
  let plan: EffectPlan | null = null;
  let decision: Extract<OrderDecision, { ok: true }> | null = null;
  let decidedOn: OrderFacts | null = null;
  const locking = req.find?.(true);
  if (locking === null) return notFound(req.notFound?.what ?? 'Order', req.notFound?.field);
  const moved = await inSite(
    em,
    req.siteId,
    async (tx, { order, beside }) => {
      if (req.find && !order) return notFound(req.notFound?.what ?? 'Order', req.notFound?.field);
      const facts = await loadFacts(tx, deps, req, order, early);
      decidedOn = facts;
      const decided = decideOrder(order, facts, req.event, req.actor);
      if (!decided.ok) return decided;
      decision = decided;
      const changed = req.change ? await req.change(tx, order, facts, decided, beside) : ok(order!);
      if (!changed.ok) return changed;
      const target = changed.value;
      const extra = typeof req.audit === 'function' ? req.audit(facts, target) : req.audit;
      const applied = await applyDecision(tx, deps, target, facts, decided, req.actor, extra);
      if (applied.refusal && !applied.refusal.ok) return applied.refusal;
      moves = applied.moves;
      plan = effectPlan(target, req, applied.current, applied.current !== facts.current ? facts.current : null, facts);
      return ok(target);
    },
    // The lookup beside the order is sent only with the order's: without one, the command reads nothing.
    { order: locking, beside: locking && req.beside },
  ).catch((err: unknown) => refusedAtCommit(err, decision, decidedOn));
  if (!moved.ok) return moved;
  reportMoves(deps, moves);

  const outcomes: EffectOutcomes = { ...early?.outcomes };
  for (const effect of decision!.row.effects ?? []) {
    if (effect.when === 'after') Object.assign(outcomes, await EFFECTS[effect.name](em, deps, plan!));
  }
  return ok({ order: moved.value, outcomes });
}

/**
 * Phase 3 inside the caller's transaction: the row's records, then the move with its audit entry, then the event
 * it chains (its records, its move). Records that return outcomes (the stock reservation) add them to the facts,
 * and the row's guards are checked again: a refusal then is the caller's to roll back. The payment event runs it
 * in its own transaction, beside its inbox row.
 */
export async function applyDecision(
  tx: EntityManager,
  deps: DomainDeps,
  order: Order,
  facts: OrderFacts,
  decision: Extract<OrderDecision, { ok: true }>,
  actor: Actor,
  extra?: AuditExtra,
): Promise<{ moves: Move[]; refusal: OrderDecision | null; current: PaymentAttempt | null }> {
  const ctx: RecordContext = { tx, deps, order, facts, actor, current: facts.current };
  const moves: Move[] = [];
  for (let step = decision; ;) {
    const refusal = await writeRecords(ctx, step);
    if (refusal) return { moves, refusal, current: ctx.current };
    moves.push(...applyOrderMove(tx, order, step, facts, actor, extra));
    const then = step.row.then as OrderEvent | undefined;
    if (!then) return { moves, refusal: null, current: ctx.current };
    const next = decideOrder(order, facts, then, actor);
    if (!next.ok) return { moves, refusal: next, current: ctx.current };
    step = next;
  }
}

/**
 * A record sent with COMMIT that refused the transaction there (checkout's stock reservation): its outcomes join
 * the facts and the decided row's guards are checked with them, as writeRecords checks them before the move. The
 * transaction is already rolled back, the record included. Any other failure is thrown on.
 */
function refusedAtCommit(err: unknown, decision: Extract<OrderDecision, { ok: true }> | null, facts: OrderFacts | null): Result<Order> {
  const learned = outcomesRefusedAtCommit(err);
  if (!learned || !decision || !facts) throw err;
  Object.assign(facts.outcomes, learned);
  const failing = (decision.row.guards ?? []).find((g) => !g.holds(facts));
  if (!failing) throw err;
  return refusedBy(failing, facts);
}

/** The row's records in order; if any returned outcomes, the refusal of the first guard that no longer holds. */
async function writeRecords(ctx: RecordContext, step: Extract<OrderDecision, { ok: true }>): Promise<OrderDecision | null> {
  let learned = false;
  for (const name of step.row.before ?? []) {
    const outcomes = await RECORDS[name](ctx);
    if (!outcomes) continue;
    Object.assign(ctx.facts.outcomes, outcomes);
    learned = true;
  }
  const failing = learned ? (step.row.guards ?? []).find((g) => !g.holds(ctx.facts)) : undefined;
  return failing ? refusedBy(failing, ctx.facts) : null;
}

async function loadFacts(
  tx: EntityManager,
  deps: DomainDeps,
  req: RequestFacts,
  order: Order | null,
  early: Preflight | null,
): Promise<OrderFacts> {
  const current = order ? await currentAttempt(tx, order) : null;
  const extra = req.facts ? await req.facts(tx, order, early) : {};
  return { now: deps.clock.now(), order, current, outcomes: { ...early?.outcomes }, ...extra };
}

/** Decides without the lock and runs the before-effects of the row it would take; their outcomes are facts of the move. */
async function preflight(em: EntityManager, deps: DomainDeps, req: RequestFacts): Promise<Result<Preflight>> {
  const seen = await readInSite(em, req.siteId, async (tx) => {
    const order = req.find ? await selectLookup(tx, req.find(false)) : null;
    if (!order) return null;
    const facts = await loadFacts(tx, deps, req, order, null);
    return { order, facts, decision: decideOrder(order, facts, req.event, req.actor) };
  });
  if (!seen) return notFound(req.notFound?.what ?? 'Order', req.notFound?.field);
  if (!seen.decision.ok) return seen.decision;
  const plan = effectPlan(seen.order, req, seen.facts.current, null, seen.facts);
  const outcomes: BeforeOutcomes = {};
  for (const effect of seen.decision.row.effects ?? []) {
    if (effect.when === 'before') Object.assign(outcomes, await EFFECTS[effect.name](em, deps, plan));
  }
  return ok({ facts: seen.facts, outcomes });
}

/** The one place entities are copied out of a transaction for the effects that run after it. */
function effectPlan(
  order: Order,
  req: RequestFacts,
  current: PaymentAttempt | null,
  superseded: PaymentAttempt | null,
  facts: OrderFacts,
): EffectPlan {
  return {
    siteId: order.siteId,
    orderId: order.id,
    actor: req.actor,
    current: current && snapshot(current),
    superseded: superseded && snapshot(superseded),
    captured: (facts.captured ?? []).map(snapshot),
    reason: req.reason ?? null,
  };
}
