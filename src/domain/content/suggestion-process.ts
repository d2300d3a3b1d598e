import { SuggestionStatus } from '../../entities/states';
import { ErrorCode } from '../errors';
import { guard, NONE, validateTable, type RefusalRow, type Row } from '../machine';

const { PENDING_REVIEW, APPROVED, REJECTED } = SuggestionStatus;

/** What a command read before deciding; a fact it did not read makes the guard that needs it fail. */
export interface SuggestionFacts {
  /** approve: the version the suggestion was made from, and the item's current one under its lock. */
  readonly baseVersion?: number;
  readonly currentVersion?: number;
  /** reject: the reason, as the command's validation trimmed it. */
  readonly reason?: string;
}

/** Approving a suggestion made from an older version would silently drop the edits made since. */
export const baseStillCurrent = guard<SuggestionFacts>(
  'baseStillCurrent',
  ErrorCode.STALE_SUGGESTION,
  (f) => f.currentVersion !== undefined && f.currentVersion === f.baseVersion,
  (f) => `The suggestion was made from version ${f.baseVersion}; the content is now at version ${f.currentVersion}`,
  ['suggestionId'],
);

/** A rejection is kept with its reason (the database requires one); the command's validation already refuses a blank one. */
export const reasonGiven = guard<SuggestionFacts>('reasonGiven', ErrorCode.VALIDATION, (f) => !!f.reason?.trim(), 'reason is required', [
  'reason',
]);

/** A decision is final: approving or rejecting a decided suggestion says which way it went. */
const alreadyDecided: RefusalRow<SuggestionStatus, SuggestionFacts>[] = [APPROVED, REJECTED].map((decided) => ({
  from: [decided],
  actors: ['admin'],
  refuse: { code: ErrorCode.INVALID_TRANSITION, message: () => `The suggestion is already ${decided.toLowerCase()}` },
}));

export type SuggestionEvent = 'request' | 'approve' | 'reject';
export type SuggestionRow = Row<SuggestionStatus, SuggestionFacts, never, never>;

/**
 * THE suggestion state machine, run by `decide`. An admin's request creates it (the AI Advisory Service writes it
 * on the admin's behalf); only an admin decides it, once.
 */
export const SUGGESTION_PROCESS: Readonly<Record<SuggestionEvent, readonly SuggestionRow[]>> = {
  request: [{ from: [NONE], to: PENDING_REVIEW, actors: ['admin'] }],
  approve: [{ from: [PENDING_REVIEW], to: APPROVED, actors: ['admin'], guards: [baseStillCurrent] }, ...alreadyDecided],
  reject: [{ from: [PENDING_REVIEW], to: REJECTED, actors: ['admin'], guards: [reasonGiven] }, ...alreadyDecided],
};

/** For the boot check: throws when a row names an unknown status or a status cannot be reached. */
export function validateSuggestionProcess(): void {
  validateTable('Suggestion', SUGGESTION_PROCESS, Object.values(SuggestionStatus), NONE);
}
