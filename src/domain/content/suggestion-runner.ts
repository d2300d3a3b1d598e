import type { Suggestion, SuggestionStatus } from '../../entities';
import type { Actor } from '../actor';
import { decide, NONE, type Decision } from '../machine';
import { SUGGESTION_PROCESS, type SuggestionEvent, type SuggestionFacts } from './suggestion-process';

export type SuggestionDecision = Decision<SuggestionStatus, SuggestionFacts, never, never>;

/**
 * The only place that assigns Suggestion.status: decides `event` on the table and, when it is taken, moves the
 * suggestion. A new suggestion (no status yet) is at NONE. A refusal changes nothing; the caller writes the rest
 * of the move (decidedAt, its audit entry) in the same transaction.
 */
export function moveSuggestion(suggestion: Suggestion, event: SuggestionEvent, facts: SuggestionFacts, actor: Actor): SuggestionDecision {
  // Unset until the `request` move, which the entity's type does not say.
  const from = (suggestion.status as SuggestionStatus | undefined) ?? NONE;
  const decision = decide(SUGGESTION_PROCESS, 'Suggestion', from, facts, event, actor.kind);
  if (!decision.ok) {
    // Refusals of a decision concern the suggestion the command was given, as they always have.
    if (from === NONE) return decision;
    return { ...decision, errors: decision.errors.map((e) => (e.field ? e : { ...e, field: ['suggestionId'] })) };
  }
  suggestion.status = decision.to;
  return decision;
}
