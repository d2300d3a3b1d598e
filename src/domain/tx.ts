import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { flushWithCommit } from '../db/flush-with-commit';
import { SiteBindingConnection } from '../db/site-binding';
import { SITE_FILTER, type SiteFilterArgs } from '../entities';
import { isUuid } from './ids';
import { foundOf, rowOf, type Lookup } from './sql';
import { ErrorCode, notFound, refuse, type Result, type UserError } from './errors';

export { isUuid };

/** Thrown inside a transaction to roll it back and hand a refusal back as data. */
class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/** The lookups a command starts with, by name; an absent one (undefined, or null for an id that matches nothing) is not sent. */
export type Lookups = Record<string, Lookup<object> | null | undefined>;

/** What each lookup found: its entity (or row), or null. */
export type Found<L extends Lookups> = { [K in keyof L]: L[K] extends Lookup<infer E> | null | undefined ? E | null : never };

/** The lookups to send, in their order, by name: the absent ones are not. */
const presentOf = (lookups: Lookups | undefined) => Object.entries(lookups ?? {}).filter((e): e is [string, Lookup<object>] => !!e[1]);

/** Each lookup's answer by its name: `absent` for one not sent, else `answer` of the sent one at its place. */
function byName<V>(lookups: Lookups | undefined, absent: V, answer: (l: Lookup<object>, at: number) => V): Record<string, V> {
  const answers = Object.fromEntries(Object.keys(lookups ?? {}).map((name) => [name, absent]));
  presentOf(lookups).forEach(([name, l], at) => (answers[name] = answer(l, at)));
  return answers;
}

/**
 * Runs one command in one transaction bound to one site (row-level security keys on it). A refusal rolls
 * everything back, including the audit entry, and comes back as data. Unknown or malformed site ids answer
 * NOT_FOUND, like another site's ids. `lookups`: the statements `work` starts with, none depending on another's
 * answer, sent with BEGIN in its message, in their order (the order runner's locked order, addToCart's product, the
 * webhook's inbox row, attempt and order); `work` gets what each found.
 */
export async function inSite<T, L extends Lookups = Record<never, never>>(
  em: EntityManager,
  siteId: string,
  work: (tx: EntityManager, found: Found<L>) => Promise<Result<T>>,
  lookups?: L,
): Promise<Result<T>> {
  if (!isUuid(siteId)) return notFound('Site', ['siteId']);
  return runTx(em, siteId, work, lookups);
}

/** A platform command (no site bound): sites, admins and their audit entries. */
export function onPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  return runTx(em, null, work);
}

async function runTx<T, L extends Lookups>(
  em: EntityManager,
  siteId: string | null,
  work: (tx: EntityManager, found: Found<L>) => Promise<Result<T>>,
  lookups?: L,
) {
  try {
    return await siteTx(em, siteId, false, lookups, async (tx, found) => {
      const result = await work(tx, found);
      if (!result.ok) throw new Refusal(result.errors);
      // The last flush goes in COMMIT's message where its order cannot matter (src/db/flush-with-commit.ts).
      if (!flushWithCommit(tx)) await tx.flush();
      return result;
    });
  } catch (err) {
    if (err instanceof Refusal) return { ok: false as const, errors: err.errors };
    // A concurrent writer took the same unique value (a SKU, a slug) between our check and our insert.
    if (err instanceof UniqueConstraintViolationException)
      return refuse(ErrorCode.CONFLICT, 'A concurrent change conflicted with this one; try again');
    throw err;
  }
}

/**
 * One write of a site that nothing waits on, sent with its tenant setting as one message: one round trip, its own
 * implicit transaction (src/db/site-binding.ts). For an effect's outcome, recorded after the effect ran.
 */
export async function writeInSite(em: EntityManager, siteId: string, write: { sql: string; params: readonly string[] }): Promise<void> {
  await bindingConnection(em).writeInOneMessage(siteId, write);
}

/** Every row each lookup found, as its entities (or rows). */
export type AllFound<L extends Lookups> = { [K in keyof L]: L[K] extends Lookup<infer E> | null | undefined ? E[] : never };

/**
 * Reads of one site that do not depend on one another, sent with the tenant setting as one message: one round
 * trip, one implicit read-only transaction (src/db/site-binding.ts). Each lookup's rows come back as entities of
 * `em` (pass a fork of your own); an absent lookup finds nothing. Null for a malformed site id.
 */
export async function readAllInSite<L extends Lookups>(em: EntityManager, siteId: string, lookups: L): Promise<AllFound<L> | null> {
  if (!isUuid(siteId)) return null;
  const sent = presentOf(lookups).map(([, l]) => l);
  const rows = sent.length > 0 ? await bindingConnection(em).readInOneMessage(siteId, sent) : [];
  return byName<object[]>(lookups, [], (l, at) => rows[at]!.map((row) => rowOf(em, l, row))) as AllFound<L>;
}

/** Read-only work bound to one site; null result for a malformed id. */
export async function readInSite<T>(em: EntityManager, siteId: string, work: (tx: EntityManager) => Promise<T>): Promise<T | null> {
  if (!isUuid(siteId)) return null;
  return siteTx(em, siteId, true, undefined, work);
}

export function readOnPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return siteTx(em, null, true, undefined, work);
}

/**
 * One transaction on a fresh fork, bound to one site (or to none) in both layers: the ORM's site filter, and
 * row-level security through the per-transaction `app.site_id`, set in BEGIN's own round trip
 * (src/db/site-binding.ts) and forgotten at COMMIT or ROLLBACK by the pooled connection. It runs on the
 * connection's own transaction: em.transactional adds a context fork and a merge back that cost about 0.3 ms of CPU
 * per call here (bench/README.md), and a read has nothing to flush at all; a command flushes its unit of work
 * itself before the commit. The command's lookups travel in BEGIN's message too, and `work` gets what they found,
 * entities managed by the fork (src/db/one-message.ts).
 */
async function siteTx<T, L extends Lookups>(
  em: EntityManager,
  siteId: string | null,
  readOnly: boolean,
  lookups: L | undefined,
  work: (tx: EntityManager, found: Found<L>) => Promise<T>,
): Promise<T> {
  const fork = em.fork();
  fork.setFilterParams(SITE_FILTER, { siteId } satisfies SiteFilterArgs);
  const connection = bindingConnection(fork);
  const { trx, found: rows } = await connection.beginInSite(
    siteId ?? '',
    readOnly,
    presentOf(lookups).map(([, l]) => l),
  );
  fork.setTransactionContext(trx);
  const found = byName<object | null>(lookups, null, (l, at) => foundOf(fork, l, rows[at]));
  try {
    let result: T;
    try {
      result = await work(fork, found as Found<L>);
    } catch (err) {
      await connection.rollback(trx);
      throw err;
    }
    // A failed COMMIT ends the transaction itself (knex; a failed rider is rolled back in src/db/site-binding.ts).
    await connection.commit(trx);
    return result;
  } finally {
    fork.resetTransactionContext();
  }
}

function bindingConnection(em: EntityManager): SiteBindingConnection {
  const connection = em.getConnection();
  if (!(connection instanceof SiteBindingConnection)) throw new Error('the ORM must run on SiteBindingDriver (src/db/orm.ts)');
  return connection;
}

export { ErrorCode };
