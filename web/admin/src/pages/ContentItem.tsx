// One content item: its versions with a diff between any two, a manual revision, its suggestions, and a request
// for a new one (refused with AI_DISABLED, "Advisory disabled for this site", while the site's AI is off).
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import {
  ContentItemHistoryDocument,
  RequestSuggestionDocument,
  ReviseContentDocument,
  SuggestionsDocument,
} from '../../../../clients/generated/graphql';
import { FieldError, FormErrors, RequestError, type UserError } from '../../../shared/user-errors';
import { Diff, Loading, NoAccess, when } from '../components';
import { asUserErrors, fieldProps, isForbidden } from '../errors';
import { useSite } from '../Layout';

export function ContentItemPage() {
  const site = useSite();
  const { itemId } = useParams();
  const [r, refetch] = useQuery({ query: ContentItemHistoryDocument, variables: { siteId: site.id, id: itemId! } });
  const item = r.data?.contentItem;
  if (!item) {
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="content item" />;
  }
  const reload = () => refetch({ requestPolicy: 'network-only' });
  return (
    <>
      <h1>{item.title}</h1>
      <p className="muted">
        <code>{item.slug}</code> · version {item.currentVersion.number} by {item.currentVersion.createdBy},{' '}
        {when(item.currentVersion.createdAt)}
      </p>
      <section className="card">
        <h2>Current text</h2>
        <div className="diff">{item.currentVersion.body}</div>
      </section>
      <VersionDiff versions={item.versions} />
      <RequestSuggestion siteId={site.id} itemId={item.id} aiEnabled={site.aiEnabled} />
      <ItemSuggestions siteId={site.id} itemId={item.id} />
      <Revise siteId={site.id} itemId={item.id} body={item.currentVersion.body} onDone={reload} />
    </>
  );
}

type Version = { number: number; body: string; source: string; createdBy: string; createdAt: string };

/** Two selects (from, to) and the word diff between the two versions' bodies. */
function VersionDiff({ versions }: { versions: readonly Version[] }) {
  const last = versions[versions.length - 1]?.number ?? 1;
  const [from, setFrom] = useState(Math.max(1, last - 1));
  const [to, setTo] = useState(last);
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  const options = versions.map((v) => (
    <option key={v.number} value={v.number}>
      v{v.number} · {v.source === 'AI_SUGGESTION' ? 'AI suggestion' : 'manual'} · {v.createdBy}
    </option>
  ));
  return (
    <section className="card">
      <h2>Versions</h2>
      <div className="row">
        <label className="inline">
          From
          <select value={from} onChange={(e) => setFrom(Number(e.target.value))} data-testid="diff-from">
            {options}
          </select>
        </label>
        <label className="inline">
          To
          <select value={to} onChange={(e) => setTo(Number(e.target.value))} data-testid="diff-to">
            {options}
          </select>
        </label>
      </div>
      {a && b && <Diff before={a.body} after={b.body} label={`Changes from version ${a.number} to version ${b.number}`} />}
    </section>
  );
}

function RequestSuggestion({ siteId, itemId, aiEnabled }: { siteId: string; itemId: string; aiEnabled: boolean }) {
  const [instruction, setInstruction] = useState('');
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, request] = useMutation(RequestSuggestionDocument);
  const navigate = useNavigate();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await request({ siteId, contentItemId: itemId, instruction });
    const errs = asUserErrors(r.data?.requestSuggestion.userErrors);
    setErrors(errs);
    const s = r.data?.requestSuggestion.suggestion;
    if (s) void navigate(`/sites/${siteId}/content/${itemId}/suggestions/${s.id}`);
  };
  return (
    <section className="card">
      <h2>Ask the AI for a suggestion</h2>
      {!aiEnabled && <p className="muted">The AI advisory is switched off for this site (a super admin can switch it on).</p>}
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['instruction']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Request a suggestion">
        <label>
          Instruction
          <input
            value={instruction}
            onChange={(e) => setInstruction(e.target.value)}
            placeholder="e.g. Make it friendlier"
            {...fieldProps(errors, 'instruction')}
          />
          <FieldError errors={errors} field="instruction" />
        </label>
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? 'Asking…' : 'Request suggestion'}
        </button>
      </form>
    </section>
  );
}

function ItemSuggestions({ siteId, itemId }: { siteId: string; itemId: string }) {
  const [r] = useQuery({ query: SuggestionsDocument, variables: { siteId, contentItemId: itemId } });
  const list = r.data?.suggestions;
  return (
    <section className="card">
      <h2>Suggestions</h2>
      {!list ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : list.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul>
          {list.map((s) => (
            <li key={s.id}>
              <Link to={`/sites/${siteId}/content/${itemId}/suggestions/${s.id}`}>“{s.instruction}”</Link>{' '}
              <span className={`badge ${s.status === 'APPROVED' ? 'ok' : s.status === 'REJECTED' ? 'danger' : 'warn'}`}>{s.status}</span>{' '}
              <span className="muted">
                from v{s.baseVersion}, {when(s.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** reviseContent: a manual version (a suggestion made from an older one then becomes stale). */
function Revise({ siteId, itemId, body, onDone }: { siteId: string; itemId: string; body: string; onDone: () => void }) {
  const [text, setText] = useState(body);
  const [errors, setErrors] = useState<UserError[]>([]);
  const [state, revise] = useMutation(ReviseContentDocument);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await revise({ siteId, contentItemId: itemId, body: text });
    const errs = asUserErrors(r.data?.reviseContent.userErrors);
    setErrors(errs);
    if (!errs.length) onDone();
  };
  return (
    <section className="card">
      <h2>Edit the text</h2>
      <RequestError error={state.error} />
      <FormErrors errors={errors} fields={['body']} />
      <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Edit the text">
        <label>
          New body
          <textarea value={text} onChange={(e) => setText(e.target.value)} {...fieldProps(errors, 'body')} />
          <FieldError errors={errors} field="body" />
        </label>
        <button type="submit" disabled={state.fetching}>
          Save as a new version
        </button>
      </form>
    </section>
  );
}
