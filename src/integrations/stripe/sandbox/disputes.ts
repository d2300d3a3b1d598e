/**
 * Disputes, as Stripe's test mode plays them: the createDispute card opens one on payment; evidence with the text
 * `winning_evidence` wins it and `losing_evidence` loses it; closing it (accepting) loses it. Each change that
 * closes a dispute is announced as `charge.dispute.closed`.
 */
import { str, type Params } from './form';
import { noSuch, now, ok, rand, unexpectedState, type Reply } from './replies';
import type { Emit, SandboxStore } from './store';
import type { SandboxDispute, SandboxPaymentIntent } from './types';

export function openDispute(store: SandboxStore, pi: SandboxPaymentIntent): SandboxDispute {
  const dispute: SandboxDispute = {
    id: `dp_${rand()}`,
    object: 'dispute',
    amount: pi.amount_received,
    currency: pi.currency,
    charge: pi.latest_charge as string,
    payment_intent: pi.id,
    reason: 'fraudulent',
    status: 'needs_response',
    evidence: { uncategorized_text: null },
    metadata: {},
    livemode: false,
    created: now(),
  };
  store.disputes.set(dispute.id, dispute);
  return dispute;
}

const isClosed = (d: SandboxDispute) => d.status === 'won' || d.status === 'lost';

/** POST /v1/disputes/:id: evidence; Stripe's test texts decide the outcome at once. */
export function updateDispute(store: SandboxStore, id: string, p: Params, emit: Emit): Reply {
  const dispute = store.disputes.get(id);
  if (!dispute) return noSuch('dispute', id);
  if (isClosed(dispute)) return unexpectedState(`This dispute is already closed (${dispute.status}).`);
  const text = str((p.evidence as Params | undefined)?.uncategorized_text);
  dispute.evidence.uncategorized_text = text;
  if (text === 'winning_evidence' || text === 'losing_evidence') {
    dispute.status = text === 'winning_evidence' ? 'won' : 'lost';
    emit('charge.dispute.closed', structuredClone(dispute));
  } else dispute.status = 'under_review';
  return ok(dispute);
}

/** POST /v1/disputes/:id/close: the merchant accepts the dispute, which is lost. */
export function closeDispute(store: SandboxStore, id: string, emit: Emit): Reply {
  const dispute = store.disputes.get(id);
  if (!dispute) return noSuch('dispute', id);
  if (isClosed(dispute)) return unexpectedState(`This dispute is already closed (${dispute.status}).`);
  dispute.status = 'lost';
  emit('charge.dispute.closed', structuredClone(dispute));
  return ok(dispute);
}
