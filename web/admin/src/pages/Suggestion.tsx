// Reviewing one suggestion beside the diff against the version it was made from; approve, or reject with a reason.
// Approving is refused with STALE_SUGGESTION when the content has moved past that version: said in plain words.
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  AdminItemSuggestionsDocument,
  ApproveSuggestionDocument,
  ContentItemHistoryDocument,
  RejectSuggestionDocument,
} from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Diff, Loading, NoAccess, when } from '../components';
import { asUserErrors, fieldProps, isForbidden } from '../errors';
import { useSite } from '../Layout';

export function SuggestionPage() {
  const site = useSite();
  const { itemId, suggestionId } = useParams();
  const [item, refetchItem] = useQuery({ query: ContentItemHistoryDocument, variables: { siteId: site.id, id: itemId! } });
  const [list, refetchList] = useQuery({ query: AdminItemSuggestionsDocument, variables: { siteId: site.id, contentItemId: itemId! } });
  const [approveState, approve] = useMutation(ApproveSuggestionDocument);
  const [rejectState, reject] = useMutation(RejectSuggestionDocument);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [done, setDone] = useState<string | null>(null);

  const s = list.data?.suggestions.find((x) => x.id === suggestionId);
  const content = item.data?.contentItem;
  if (!s || !content) {
    const r = !content ? item : list;
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="suggestion" />;
  }
  const base = content.versions.find((v) => v.number === s.baseVersion);
  const current = content.currentVersion.number;
  const reload = () => {
    refetchItem({ requestPolicy: 'network-only' });
    refetchList({ requestPolicy: 'network-only' });
  };

  const onApprove = async () => {
    const r = await approve({ siteId: site.id, suggestionId: s.id });
    const errs = asUserErrors(r.data?.approveSuggestion.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.approveSuggestion.suggestion) {
      setDone(`Approved: the text is now version ${r.data.approveSuggestion.suggestion.createdVersion}.`);
      reload();
    }
  };
  const onReject = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim())
      return setErrors([{ code: 'VALIDATION', message: 'A reason is required to reject a suggestion.', field: 'reason' }]);
    const r = await reject({ siteId: site.id, suggestionId: s.id, reason: reason.trim() });
    const errs = asUserErrors(r.data?.rejectSuggestion.userErrors);
    setErrors(errs);
    if (!errs.length && r.data?.rejectSuggestion.suggestion) {
      setDone('Rejected: the text stays as it was.');
      reload();
    }
  };
  const stale = errors.find((e) => e.code === 'STALE_SUGGESTION');
  const pending = s.status === 'PENDING_REVIEW';

  return (
    <>
      <p>
        <Link to={`/sites/${site.id}/content/${content.id}`}>← {content.title}</Link>
      </p>
      <h1>Suggestion for “{content.title}”</h1>
      <p className="row">
        <span
          className={`badge ${s.status === 'APPROVED' ? 'ok' : s.status === 'REJECTED' ? 'danger' : 'warn'}`}
          data-testid="suggestion-status"
        >
          {s.status}
        </span>
        <span className="muted">
          “{s.instruction}” · {s.model} · {when(s.createdAt)} · made from version {s.baseVersion}
        </span>
      </p>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {s.rejectionReason && (
        <p>
          Rejected by {s.decidedBy}: {s.rejectionReason}
        </p>
      )}
      {s.status === 'APPROVED' && (
        <p>
          Approved by {s.decidedBy}, {when(s.decidedAt)}: version {s.createdVersion}.
        </p>
      )}
      {stale && (
        <div className="form-errors" role="alert" data-code="STALE_SUGGESTION">
          <p>
            <strong>This suggestion is out of date.</strong> It was written from version {s.baseVersion} of the text, but the text has been
            changed since. Approving it would silently throw those changes away, so it was not applied. Reject it and ask for a new
            suggestion from the current text.
          </p>
          {/* The API's own words carry the version the text is at now (the page's copy may be a moment old). */}
          <p className="muted">{stale.message}</p>
        </div>
      )}
      <RequestError error={approveState.error ?? rejectState.error} />
      <FormErrors errors={errors.filter((e) => e.code !== 'STALE_SUGGESTION')} fields={['reason']} />
      <div className="grid-2 review">
        <section>
          <h2>Suggested text</h2>
          <div className="diff" data-testid="suggested-body">
            {s.body}
          </div>
        </section>
        <section>
          <h2>Changes against version {s.baseVersion}</h2>
          {base ? (
            <Diff before={base.body} after={s.body} label={`Changes the suggestion makes to version ${s.baseVersion}`} />
          ) : (
            <p className="muted">Version {s.baseVersion} is not on the first page of versions.</p>
          )}
          {current !== s.baseVersion && pending && (
            <p className="notice">
              The text has changed since this suggestion was made (now version {current}): approving it will be refused.
            </p>
          )}
        </section>
      </div>
      {pending && (
        <div className="grid-2 decide">
          <section className="card">
            <h2>Approve</h2>
            <p>The suggested text becomes a new version of the content.</p>
            <button type="button" onClick={() => void onApprove()} disabled={approveState.fetching}>
              Approve suggestion
            </button>
          </section>
          <section className="card">
            <h2>Reject</h2>
            <form className="stack" onSubmit={(e) => void onReject(e)} aria-label="Reject the suggestion">
              <label>
                Reason for rejecting
                <textarea value={reason} onChange={(e) => setReason(e.target.value)} {...fieldProps(errors, 'reason')} />
                <FieldError errors={errors} field="reason" />
              </label>
              <button type="submit" className="danger" disabled={rejectState.fetching}>
                Reject suggestion
              </button>
            </form>
          </section>
        </div>
      )}
    </>
  );
}
