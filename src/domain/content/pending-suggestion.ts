import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Suggestion } from '../../entities';
import { ErrorCode, notFound, ok, refuse, type Result } from '../errors';

/** The suggestion, row-locked, if it still awaits review. Another site's suggestion is NOT_FOUND, like a missing one. */
export async function pendingSuggestion(tx: EntityManager, suggestionId: string): Promise<Result<Suggestion>> {
  const suggestion = await tx.findOne(Suggestion, { id: suggestionId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!suggestion) return notFound('Suggestion', ['suggestionId']);
  if (suggestion.status !== 'PENDING_REVIEW') {
    return refuse(ErrorCode.INVALID_TRANSITION, `The suggestion is already ${suggestion.status.toLowerCase()}`, ['suggestionId']);
  }
  return ok(suggestion);
}
