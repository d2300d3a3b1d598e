import { PaymentAttemptStatus } from '../../entities/states';
import { NONE, validateTable, type Row } from '../machine';

const { PENDING, SUCCEEDED, FAILED, CANCELED } = PaymentAttemptStatus;

type AttemptRow = Row<PaymentAttemptStatus, unknown>;

/**
 * A payment attempt's own machine, run by the order runner (src/domain/order/runner.ts, `moveAttempt`). Money can
 * land on an attempt Aegis already gave up on (declined, then paid; cancelled too late): it still SUCCEEDED, and
 * the payment event flags it needsRefund. Refunds are recorded beside the status (`refunded`), not as one.
 */
export const ATTEMPT_PROCESS = {
  open: [{ from: [NONE], to: PENDING, actors: ['visitor', 'customer'] }],
  succeed: [{ from: [PENDING, FAILED, CANCELED], to: SUCCEEDED, actors: ['gateway'] }],
  fail: [{ from: [PENDING], to: FAILED, actors: ['gateway'] }],
  // Aegis's own cancel (expiry), or one the gateway reports (its dashboard).
  cancel: [{ from: [PENDING], to: CANCELED, actors: ['scheduler', 'gateway'] }],
} as const satisfies Record<string, readonly AttemptRow[]>;

/** Its intent could still be paid: neither settled nor cancelled (a declined intent takes another card). Expiry cancels these. */
export const mayStillBePaid = (status: PaymentAttemptStatus): boolean => status === PENDING || status === FAILED;

export type AttemptEvent = keyof typeof ATTEMPT_PROCESS;
export const ATTEMPT_TABLE: Record<AttemptEvent, readonly AttemptRow[]> = ATTEMPT_PROCESS;

export const validateAttemptProcess = () => validateTable('payment attempt', ATTEMPT_TABLE, Object.values(PaymentAttemptStatus), NONE);
