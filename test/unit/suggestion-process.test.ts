import type { Actor, ActorKind } from '../../src/domain/actor';
import {
  baseStillCurrent,
  reasonGiven,
  SUGGESTION_PROCESS,
  validateSuggestionProcess,
  type SuggestionEvent,
  type SuggestionFacts,
} from '../../src/domain/content/suggestion-process';
import { ErrorCode } from '../../src/domain/errors';
import { moveSuggestion } from '../../src/domain/content/suggestion-runner';
import { decide, NONE, validateTable } from '../../src/domain/machine';
import { Role, Suggestion } from '../../src/entities';
import { SuggestionStatus } from '../../src/entities/states';

const { PENDING_REVIEW, APPROVED, REJECTED } = SuggestionStatus;
type State = SuggestionStatus | typeof NONE;
const STATES: State[] = [NONE, PENDING_REVIEW, APPROVED, REJECTED];
const EVENTS: SuggestionEvent[] = ['request', 'approve', 'reject'];
const ACTORS: ActorKind[] = ['visitor', 'admin', 'gateway', 'scheduler', 'ai', 'system'];

/** Facts under which every guard holds: what a command passes when nothing stands in the way. */
const FINE: SuggestionFacts = { baseVersion: 3, currentVersion: 3, reason: 'Too informal' };

/** `decide` on the table, with the state typed as any status (not inferred from a literal). */
const run = (state: State, facts: SuggestionFacts, event: SuggestionEvent, actor: ActorKind) =>
  decide(SUGGESTION_PROCESS, 'Suggestion', state, facts, event, actor);

/** An expected outcome: the next status, or the refusal's code and message. */
type Outcome = SuggestionStatus | { code: ErrorCode; message: string };
const invalid = (message: string): Outcome => ({ code: ErrorCode.INVALID_TRANSITION, message });
const notPossible = (state: State, event: SuggestionEvent) =>
  invalid(`Suggestion is ${state === NONE ? 'new' : state}: ${event} is not possible`);

/** The admin's outcomes, written out by hand; every other actor kind is refused with the default message everywhere. */
const ADMIN: Record<SuggestionEvent, Record<State, Outcome>> = {
  request: {
    [NONE]: PENDING_REVIEW,
    [PENDING_REVIEW]: notPossible(PENDING_REVIEW, 'request'),
    [APPROVED]: notPossible(APPROVED, 'request'),
    [REJECTED]: notPossible(REJECTED, 'request'),
  },
  approve: {
    [NONE]: notPossible(NONE, 'approve'),
    [PENDING_REVIEW]: APPROVED,
    [APPROVED]: invalid('The suggestion is already approved'),
    [REJECTED]: invalid('The suggestion is already rejected'),
  },
  reject: {
    [NONE]: notPossible(NONE, 'reject'),
    [PENDING_REVIEW]: REJECTED,
    [APPROVED]: invalid('The suggestion is already approved'),
    [REJECTED]: invalid('The suggestion is already rejected'),
  },
};

describe('suggestion process', () => {
  it('has exactly the events request, approve and reject, and passes validateTable', () => {
    expect(Object.keys(SUGGESTION_PROCESS).sort()).toEqual(['approve', 'reject', 'request']);
    expect(() => validateSuggestionProcess()).not.toThrow();
    expect(() => validateTable('Suggestion', SUGGESTION_PROCESS, Object.values(SuggestionStatus), NONE)).not.toThrow();
  });

  it('would be refused by validateTable without its approve event (APPROVED unreachable)', () => {
    const { approve: _dropped, ...withoutApprove } = SUGGESTION_PROCESS;
    expect(() => validateTable('Suggestion', withoutApprove, Object.values(SuggestionStatus), NONE)).toThrow(
      'Suggestion: unreachable states APPROVED',
    );
  });

  it('walks every status x event x actor kind: the exact next status or refusal', () => {
    let moves = 0;
    for (const state of STATES) {
      for (const event of EVENTS) {
        for (const actor of ACTORS) {
          const expected = actor === 'admin' ? ADMIN[event][state] : notPossible(state, event);
          const decision = run(state, FINE, event, actor);
          if (typeof expected === 'string') {
            moves++;
            expect({ state, event, actor, decision }).toEqual({
              state,
              event,
              actor,
              decision: expect.objectContaining({ ok: true, event, from: state, to: expected, selfLoop: false }),
            });
          } else {
            expect({ state, event, actor, decision }).toEqual({
              state,
              event,
              actor,
              decision: { ok: false, errors: [expected], guard: null },
            });
          }
        }
      }
    }
    expect(moves).toBe(3);
  });

  describe('baseStillCurrent', () => {
    it('holds when the item is still at the version the suggestion was made from', () => {
      expect(baseStillCurrent.holds({ baseVersion: 2, currentVersion: 2 })).toBe(true);
      expect(run(PENDING_REVIEW, { baseVersion: 2, currentVersion: 2 }, 'approve', 'admin')).toMatchObject({
        ok: true,
        to: APPROVED,
      });
    });

    it('fails when the item moved on, refusing approve with STALE_SUGGESTION on suggestionId', () => {
      expect(baseStillCurrent.holds({ baseVersion: 1, currentVersion: 2 })).toBe(false);
      expect(run(PENDING_REVIEW, { baseVersion: 1, currentVersion: 2 }, 'approve', 'admin')).toEqual({
        ok: false,
        errors: [
          {
            code: ErrorCode.STALE_SUGGESTION,
            message: 'The suggestion was made from version 1; the content is now at version 2',
            field: ['suggestionId'],
          },
        ],
        guard: 'baseStillCurrent',
      });
    });

    it('fails when the current version was not read', () => {
      expect(baseStillCurrent.holds({ baseVersion: 1 })).toBe(false);
      expect(baseStillCurrent.holds({})).toBe(false);
    });

    it('is not asked on a decided suggestion: the decision is refused as final', () => {
      expect(run(APPROVED, { baseVersion: 1, currentVersion: 2 }, 'approve', 'admin')).toEqual({
        ok: false,
        errors: [{ code: ErrorCode.INVALID_TRANSITION, message: 'The suggestion is already approved' }],
        guard: null,
      });
    });
  });

  describe('reasonGiven', () => {
    it('holds for a reason and lets reject move to REJECTED', () => {
      expect(reasonGiven.holds({ reason: 'Too informal' })).toBe(true);
      expect(run(PENDING_REVIEW, { reason: 'Too informal' }, 'reject', 'admin')).toMatchObject({
        ok: true,
        to: REJECTED,
      });
    });

    it.each([[{}], [{ reason: '' }], [{ reason: '   ' }]])('fails for %j, refusing reject with the VALIDATION of reason', (facts) => {
      expect(reasonGiven.holds(facts)).toBe(false);
      expect(run(PENDING_REVIEW, facts, 'reject', 'admin')).toEqual({
        ok: false,
        errors: [{ code: ErrorCode.VALIDATION, message: 'reason is required', field: ['reason'] }],
        guard: 'reasonGiven',
      });
    });

    it('is not asked on a decided suggestion', () => {
      expect(run(REJECTED, {}, 'reject', 'admin')).toEqual({
        ok: false,
        errors: [{ code: ErrorCode.INVALID_TRANSITION, message: 'The suggestion is already rejected' }],
        guard: null,
      });
    });
  });

  it('asks approve nothing about the reason, and reject nothing about versions', () => {
    expect(run(PENDING_REVIEW, { baseVersion: 1, currentVersion: 1 }, 'approve', 'admin').ok).toBe(true);
    expect(run(PENDING_REVIEW, { reason: 'No', baseVersion: 1, currentVersion: 5 }, 'reject', 'admin').ok).toBe(true);
    expect(run(NONE, {}, 'request', 'admin')).toMatchObject({ ok: true, to: PENDING_REVIEW });
  });

  describe('moveSuggestion', () => {
    const admin: Actor = { kind: 'admin', adminId: 'a', email: 'a@x.io', role: Role.SITE_ADMIN, siteIds: [] };
    const fresh = () =>
      new Suggestion({
        siteId: '00000000-0000-7000-8000-000000000001',
        contentItemId: '00000000-0000-7000-8000-000000000002',
        instruction: 'Shorter',
        body: 'Short.',
        baseVersion: 1,
        model: 'test-model',
        createdAt: new Date(0),
      });

    it('starts a new suggestion at NONE: request gives it PENDING_REVIEW', () => {
      const s = fresh();
      expect(moveSuggestion(s, 'request', {}, admin)).toMatchObject({ ok: true, from: NONE, to: PENDING_REVIEW });
      expect(s.status).toBe(PENDING_REVIEW);
    });

    it('refuses a request by anyone but an admin, leaving the new suggestion without a status', () => {
      const s = fresh();
      expect(moveSuggestion(s, 'request', {}, { kind: 'ai' })).toEqual({
        ok: false,
        errors: [{ code: ErrorCode.INVALID_TRANSITION, message: 'Suggestion is new: request is not possible' }],
        guard: null,
      });
      expect(s.status).toBeUndefined();
    });

    it('moves a pending suggestion and refuses a decided one on suggestionId, changing nothing', () => {
      const s = fresh();
      moveSuggestion(s, 'request', {}, admin);
      expect(moveSuggestion(s, 'reject', { reason: 'No' }, admin)).toMatchObject({ ok: true, from: PENDING_REVIEW, to: REJECTED });
      expect(s.status).toBe(REJECTED);
      expect(moveSuggestion(s, 'approve', { baseVersion: 1, currentVersion: 1 }, admin)).toEqual({
        ok: false,
        errors: [{ code: ErrorCode.INVALID_TRANSITION, message: 'The suggestion is already rejected', field: ['suggestionId'] }],
        guard: null,
      });
      expect(s.status).toBe(REJECTED);
    });

    it('keeps the field a guard names', () => {
      const s = fresh();
      moveSuggestion(s, 'request', {}, admin);
      expect(moveSuggestion(s, 'reject', { reason: ' ' }, admin)).toMatchObject({ ok: false, errors: [{ field: ['reason'] }] });
      expect(s.status).toBe(PENDING_REVIEW);
    });
  });
});
