import type { ActorKind } from './actor';
import { ErrorCode, type UserError } from './errors';

/**
 * The one way Aegis declares a state machine (orders, payment attempts, suggestions): a table of rows per event,
 * run by the pure `decide` below. A row is data; its guards are named predicates over the facts the caller loaded.
 */

/** A named predicate over the facts; when it does not hold, the move is refused with its code and message. */
export interface Guard<F> {
  readonly name: string;
  readonly code: ErrorCode;
  readonly holds: (facts: F) => boolean;
  readonly refusal: (facts: F) => string;
  readonly field?: string[];
}

export function guard<F>(
  name: string,
  code: ErrorCode,
  holds: (facts: F) => boolean,
  refusal: string | ((facts: F) => string),
  field?: string[],
): Guard<F> {
  return { name, code, holds, refusal: typeof refusal === 'string' ? () => refusal : refusal, ...(field && { field }) };
}

/** The state before the first one: a row from NONE creates the record. */
export const NONE = 'NONE';
/** A self-loop: the state stays and no history entry is written (a cart edit, a repeated checkout). */
export const SAME = 'SAME';

/** A gateway call of a row: `before` ones run ahead of the move's transaction (their outcome is a fact of it), `after` ones once it committed. */
export interface EffectRef<E extends string = string> {
  readonly name: E;
  readonly when: 'before' | 'after';
}

export interface MoveRow<S extends string, F, B extends string = string, E extends string = string> {
  readonly from: readonly (S | typeof NONE)[];
  readonly to: S | typeof SAME;
  readonly actors: readonly ActorKind[];
  readonly guards?: readonly Guard<F>[];
  /** Records written in the move's own transaction, after the move. */
  readonly before?: readonly B[];
  readonly effects?: readonly EffectRef<E>[];
  /** An event decided right after this one, in the same transaction (authorize, then confirm). */
  readonly then?: string;
}

/** A refusal with its own code where the default (INVALID_TRANSITION) would say less; applies when its guards hold. */
export interface RefusalRow<S extends string, F> {
  readonly from: readonly (S | typeof NONE)[];
  readonly actors: readonly ActorKind[];
  readonly guards?: readonly Guard<F>[];
  readonly refuse: { readonly code: ErrorCode; readonly message: (facts: F) => string };
}

export type Row<S extends string, F, B extends string = string, E extends string = string> = MoveRow<S, F, B, E> | RefusalRow<S, F>;

/** Event -> its rows, tried in order. */
export type Table<S extends string, F, B extends string = string, E extends string = string> = Record<string, readonly Row<S, F, B, E>[]>;

export const isMove = <S extends string, F, B extends string, E extends string>(row: Row<S, F, B, E>): row is MoveRow<S, F, B, E> =>
  !('refuse' in row);

export type Decision<S extends string, F, B extends string, E extends string> =
  | { ok: true; event: string; from: S | typeof NONE; to: S; selfLoop: boolean; row: MoveRow<S, F, B, E> }
  | { ok: false; errors: UserError[]; guard: string | null };

/** The refusal a failing guard answers: its code, its message for these facts, and its field. */
export const refusedBy = <F>(guard: Guard<F>, facts: F): { ok: false; errors: UserError[]; guard: string } => ({
  ok: false,
  errors: [{ code: guard.code, message: guard.refusal(facts), ...(guard.field && { field: guard.field }) }],
  guard: guard.name,
});

/**
 * Pure, no I/O: the rows of `event` for this state and actor are tried in order, and the first whose guards all
 * hold is taken. A refusal row whose guards hold refuses with its code. When none is taken, the refusal is the
 * first failing guard of the first row that applied, or INVALID_TRANSITION when no row is for this state and actor.
 */
export function decide<S extends string, F, B extends string, E extends string>(
  table: Table<S, F, B, E>,
  what: string,
  state: S | typeof NONE,
  facts: F,
  event: string,
  actor: ActorKind,
): Decision<S, F, B, E> {
  const rows = (table[event] ?? []).filter((r) => r.from.includes(state) && r.actors.includes(actor));
  let firstFailure: Guard<F> | null = null;
  for (const row of rows) {
    const failing = (row.guards ?? []).find((g) => !g.holds(facts));
    if (!isMove(row)) {
      if (!failing) return { ok: false, errors: [{ code: row.refuse.code, message: row.refuse.message(facts) }], guard: null };
      continue;
    }
    if (!failing) {
      const to = row.to === SAME ? (state as S) : row.to;
      return { ok: true, event, from: state, to, selfLoop: row.to === SAME, row };
    }
    firstFailure ??= failing;
  }
  if (firstFailure) return refusedBy(firstFailure, facts);
  const shown = state === NONE ? 'new' : state;
  return {
    ok: false,
    errors: [{ code: ErrorCode.INVALID_TRANSITION, message: `${what} is ${shown}: ${event} is not possible` }],
    guard: null,
  };
}

/** Checked at boot and in the tests: every state is reachable from the first and every row names known states. */
export function validateTable<S extends string, F, B extends string, E extends string>(
  what: string,
  table: Table<S, F, B, E>,
  states: readonly S[],
  initial: S | typeof NONE,
): void {
  const known = new Set<string>([...states, NONE, SAME]);
  const reached = new Set<string>([initial]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [event, rows] of Object.entries(table)) {
      for (const row of rows) {
        const named = isMove(row) ? [...row.from, row.to] : row.from;
        for (const s of named) if (!known.has(s)) throw new Error(`${what}: ${event} names unknown state ${s}`);
        if (isMove(row) && row.then && !table[row.then]) throw new Error(`${what}: ${event} is followed by unknown event ${row.then}`);
        if (isMove(row) && row.to !== SAME && row.from.some((s) => reached.has(s)) && !reached.has(row.to)) {
          reached.add(row.to);
          grew = true;
        }
      }
    }
  }
  const unreachable = states.filter((s) => !reached.has(s));
  if (unreachable.length) throw new Error(`${what}: unreachable states ${unreachable.join(', ')}`);
}
