import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { flushWithCommit } from '../db/flush-with-commit';
import { SiteBindingConnection } from '../db/site-binding';
import { SITE_FILTER, type SiteFilterArgs } from '../entities';
import { isUuid } from './ids';
import type { Lookup } from './sql';
import { ErrorCode, notFound, refuse, type Result, type UserError } from './errors';

export { isUuid };

/** Thrown inside a transaction to roll it back and hand a refusal back as data. */
class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/**
 * Runs one command in one transaction bound to one site (row-level security keys on it). A refusal rolls
 * everything back, including the audit entry, and comes back as data. Unknown or malformed site ids answer
 * NOT_FOUND, like another site's ids. `first`: the lookup `work` starts with, sent with BEGIN (its entity or null);
 * `beside`, one more lookup it needs that does not depend on the first, sent in the same message.
 */
export async function inSite<T, F extends object = never, B extends object = never>(
  em: EntityManager,
  siteId: string,
  work: (tx: EntityManager, found: F | null, foundBeside: B | null) => Promise<Result<T>>,
  first?: Lookup<F>,
  beside?: Lookup<B>,
): Promise<Result<T>> {
  if (!isUuid(siteId)) return notFound('Site', ['siteId']);
  return runTx(em, siteId, work, first, beside);
}

/** A platform command (no site bound): sites, admins and their audit entries. */
export function onPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  return runTx(em, null, work);
}

async function runTx<T, F extends object, B extends object>(
  em: EntityManager,
  siteId: string | null,
  work: (tx: EntityManager, found: F | null, foundBeside: B | null) => Promise<Result<T>>,
  first?: Lookup<F>,
  beside?: Lookup<B>,
) {
  try {
    return await siteTx(em, siteId, false, { first, beside }, async (tx, found, foundBeside) => {
      const result = await work(tx, found, foundBeside);
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

/** Read-only work bound to one site; null result for a malformed id. */
export async function readInSite<T>(em: EntityManager, siteId: string, work: (tx: EntityManager) => Promise<T>): Promise<T | null> {
  if (!isUuid(siteId)) return null;
  return siteTx(em, siteId, true, {}, work);
}

export function readOnPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return siteTx(em, null, true, {}, work);
}

/**
 * One transaction on a fresh fork, bound to one site (or to none) in both layers: the ORM's site filter, and
 * row-level security through the per-transaction `app.site_id`, set in BEGIN's own round trip
 * (src/db/site-binding.ts) and forgotten at COMMIT or ROLLBACK by the pooled connection. It runs on the
 * connection's own transaction: em.transactional adds a context fork and a merge back that cost about 0.3 ms of CPU
 * per call here (bench/README.md), and a read has nothing to flush at all; a command flushes its unit of work
 * itself before the commit. `first`, the command's first lookup (the order runner's locked order), and `beside`
 * (addToCart's product) travel in BEGIN's message too, and `work` gets their entities, managed by the fork
 * (src/db/one-message.ts).
 */
async function siteTx<T, F extends object, B extends object>(
  em: EntityManager,
  siteId: string | null,
  readOnly: boolean,
  { first, beside }: { first?: Lookup<F>; beside?: Lookup<B> },
  work: (tx: EntityManager, found: F | null, foundBeside: B | null) => Promise<T>,
): Promise<T> {
  if (beside && !first) throw new Error('a lookup beside the first needs a first');
  const fork = em.fork();
  fork.setFilterParams(SITE_FILTER, { siteId } satisfies SiteFilterArgs);
  const connection = bindingConnection(fork);
  const { trx, found } = await connection.beginInSite(siteId ?? '', readOnly, first ? [first, ...(beside ? [beside] : [])] : []);
  const entityOf = <E extends object>(lookup: Lookup<E> | undefined, rows: Record<string, unknown>[] | undefined): E | null =>
    lookup && rows?.[0] ? fork.map(lookup.entity, rows[0]) : null;
  fork.setTransactionContext(trx);
  try {
    let result: T;
    try {
      result = await work(fork, entityOf(first, found[0]), entityOf(beside, found[1]));
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
