// Small pieces shared by the pages.
import { diffWords } from 'diff';
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { RequestError } from '../../shared/user-errors';
import { isForbidden } from './errors';

/** Another site's record, or one that does not exist: the same words, and nothing of the record. */
export function NoAccess({ what = 'page' }: { what?: string }) {
  return (
    <div className="notice" role="alert" data-testid="no-access">
      <p>
        <strong>Not found or no access.</strong> This {what} does not exist, or it belongs to a site you are not allowed to see.
      </p>
    </div>
  );
}

/** Loading, a refused request (no access) or a failed one; `null` when the data can be shown. */
export function Loading({ fetching, error, what }: { fetching: boolean; error?: CombinedError; what?: string }): ReactNode {
  if (isForbidden(error)) return <NoAccess what={what} />;
  if (error) return <RequestError error={error} />;
  if (fetching) return <p className="muted">Loading…</p>;
  return null;
}

/**
 * The pager of a keyset-paged list: "First page" once past it, "Next page" while the connection has more. The
 * cursor lives in the URL (`?after=`), so a page can be linked to and the browser's back button goes back a page.
 */
export function Pager({
  after,
  pageInfo,
  go,
}: {
  after: string | null;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null } | undefined;
  go: (after: string | null) => void;
}) {
  const next = pageInfo?.hasNextPage ? pageInfo.endCursor : null;
  return (
    <div className="row pager">
      {after && (
        <button type="button" className="secondary" onClick={() => go(null)}>
          First page
        </button>
      )}
      {next && (
        <button type="button" onClick={() => go(next)}>
          Next page
        </button>
      )}
    </div>
  );
}

/** A word diff from `before` to `after`: deletions struck, insertions marked (base.css `.diff`). */
export function Diff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = diffWords(before, after);
  return (
    <div className="diff" role="region" aria-label={label} data-testid="diff">
      {parts.map((p, i) =>
        p.added ? <ins key={i}>{p.value}</ins> : p.removed ? <del key={i}>{p.value}</del> : <span key={i}>{p.value}</span>,
      )}
    </div>
  );
}

export function StateBadge({ state }: { state: string }) {
  return (
    <span className={`badge ${state === 'REFUNDED' || state === 'PAYMENT_FAILED' ? 'warn' : state === 'CONFIRMED' ? 'ok' : 'state'}`}>
      {state}
    </span>
  );
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC' : '');
