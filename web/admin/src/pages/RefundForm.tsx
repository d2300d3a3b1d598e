// refundOrder in two steps: a reason (required, kept in the order's history), then an explicit confirmation.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { RefundOrderDocument } from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { asUserErrors, fieldProps } from '../errors';

export function RefundForm({ siteId, orderId, total }: { siteId: string; orderId: string; total: string }) {
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, refund] = useMutation(RefundOrderDocument);

  const review = (e: FormEvent) => {
    e.preventDefault();
    // The API refuses a blank reason too; saying it here spares a round trip.
    if (!reason.trim())
      return setErrors([{ code: 'VALIDATION', message: 'A reason is required: it is kept in the order history.', field: 'reason' }]);
    setErrors([]);
    setConfirming(true);
  };
  const send = async () => {
    const r = await refund({ siteId, orderId, reason: reason.trim() });
    const errs = asUserErrors(r.data?.refundOrder.userErrors);
    setErrors(errs);
    setConfirming(false);
    if (!errs.length && r.data?.refundOrder.order) setReason('');
  };

  return (
    <section className="card refund">
      <h2>Refund</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['reason']} />
      <form className="stack" onSubmit={review} aria-label="Refund">
        <label>
          Reason for the refund
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} disabled={confirming} {...fieldProps(errors, 'reason')} />
          <FieldError errors={errors} field="reason" />
        </label>
        {!confirming && (
          <div className="row">
            <button type="submit" className="danger">
              Refund…
            </button>
          </div>
        )}
      </form>
      {confirming && (
        <div className="confirm" role="alertdialog" aria-labelledby="refund-confirm-title">
          <p id="refund-confirm-title">
            <strong>Refund {total} to the customer?</strong> This cannot be undone.
          </p>
          <div className="row">
            <button type="button" className="danger" onClick={() => void send()} disabled={state.fetching}>
              Confirm refund
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)} disabled={state.fetching}>
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
