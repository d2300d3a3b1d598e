// auditLog(siteId, first, after): newest entries, one page at a time ("Next page" follows endCursor).
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { AuditLogDocument } from '../../../../clients/generated/graphql';
import { Loading, Pager, when } from '../components';
import { useSite } from '../Layout';

const PAGE = 25;

export function AuditPage() {
  const site = useSite();
  const [params, setParams] = useSearchParams();
  const after = params.get('after');
  const [r] = useQuery({ query: AuditLogDocument, variables: { siteId: site.id, first: PAGE, after } });
  const page = r.data?.auditLog;
  return (
    <>
      <h1>Audit log of {site.name}</h1>
      {!page ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : page.edges.length === 0 ? (
        <p className="muted">No entries{after ? ' on this page' : ''}.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Actor</th>
              <th>Action</th>
              <th>Entity</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: e }) => (
              <tr key={e.id}>
                <td>{when(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>
                  {e.entity} <span className="muted">{e.entityId.slice(0, 8)}</span>
                </td>
                <td className="detail">{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager after={after} pageInfo={page?.pageInfo} go={(cursor) => setParams(cursor ? { after: cursor } : {})} />
    </>
  );
}
