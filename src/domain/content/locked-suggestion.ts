import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Suggestion } from '../../entities';
import { notFound, ok, type Result } from '../errors';

/**
 * The suggestion, row-locked so that two decisions of it serialise; whether it may still be decided is the table's
 * word (suggestion-process.ts). Another site's suggestion is NOT_FOUND, like a missing one.
 */
export async function lockedSuggestion(tx: EntityManager, suggestionId: string): Promise<Result<Suggestion>> {
  const suggestion = await tx.findOne(Suggestion, { id: suggestionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  return suggestion ? ok(suggestion) : notFound('Suggestion', ['suggestionId']);
}
