import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SITE_FILTER, type SiteFilterArgs } from '../entities';
import { ErrorCode, notFound, refuse, type Result, type UserError } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (id: string): boolean => UUID.test(id);

/** Thrown inside a transaction to roll it back and hand a refusal back as data. */
class Refusal extends Error {
  constructor(readonly errors: UserError[]) {
    super('refused');
  }
}

/** Binds the transaction to one site (or to none) in both layers: the ORM's site filter and row-level security. */
async function bindSite(em: EntityManager, siteId: string | null): Promise<void> {
  em.setFilterParams(SITE_FILTER, { siteId } satisfies SiteFilterArgs);
  // Per-transaction setting (is_local = true): a pooled connection forgets it at COMMIT or ROLLBACK.
  await em.execute(`select set_config('app.site_id', ?, true)`, [siteId ?? '']);
}

/**
 * Runs one command in one transaction bound to one site (row-level security keys on it). A refusal rolls
 * everything back, including the audit entry, and comes back as data. Unknown or malformed site ids answer
 * NOT_FOUND, like another site's ids.
 */
export async function inSite<T>(em: EntityManager, siteId: string, work: (tx: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  if (!isUuid(siteId)) return notFound('Site', ['siteId']);
  return runTx(em, siteId, work);
}

/** A platform command (no site bound): sites, admins and their audit entries. */
export function onPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<Result<T>>): Promise<Result<T>> {
  return runTx(em, null, work);
}

async function runTx<T>(em: EntityManager, siteId: string | null, work: (tx: EntityManager) => Promise<Result<T>>) {
  try {
    return await siteTx(em, siteId, false, async (tx) => {
      const result = await work(tx);
      if (!result.ok) throw new Refusal(result.errors);
      await tx.flush();
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

/** Read-only work bound to one site; null result for a malformed id. */
export async function readInSite<T>(em: EntityManager, siteId: string, work: (tx: EntityManager) => Promise<T>): Promise<T | null> {
  if (!isUuid(siteId)) return null;
  return siteTx(em, siteId, true, work);
}

export function readOnPlatform<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return siteTx(em, null, true, work);
}

/**
 * One transaction on a fresh fork, bound to a site. It runs on the connection's own transaction: em.transactional
 * adds a context fork and a merge back that cost about 0.3 ms of CPU per call here (bench/README.md), and a
 * read has nothing to flush at all; a command flushes its unit of work itself before the commit.
 */
function siteTx<T>(em: EntityManager, siteId: string | null, readOnly: boolean, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  const fork = em.fork();
  return fork.getConnection().transactional(
    async (trx) => {
      fork.setTransactionContext(trx);
      try {
        await bindSite(fork, siteId);
        return await work(fork);
      } finally {
        fork.resetTransactionContext();
      }
    },
    { readOnly },
  );
}

export { ErrorCode };
