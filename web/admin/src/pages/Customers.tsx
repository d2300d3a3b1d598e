// customers(siteId): the site's customer accounts, oldest first, paged.
import { Link, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { SiteCustomersDocument } from '../../../../clients/generated/graphql';
import { Loading, Pager, when } from '../components';
import { useSite } from '../Layout';

export function CustomersPage() {
  const site = useSite();
  const [params, setParams] = useSearchParams();
  const after = params.get('after');
  const [r] = useQuery({ query: SiteCustomersDocument, variables: { siteId: site.id, first: 20, after } });
  const page = r.data?.customers;
  return (
    <>
      <h1>Customers of {site.name}</h1>
      {!page ? (
        <Loading fetching={r.fetching} error={r.error} />
      ) : page.edges.length === 0 ? (
        <p className="muted">No customers yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Name</th>
              <th>Status</th>
              <th>Since</th>
            </tr>
          </thead>
          <tbody>
            {page.edges.map(({ node: c }) => (
              <tr key={c.id}>
                <td>
                  <Link to={`/sites/${site.id}/customers/${c.id}`}>{c.email}</Link>
                </td>
                <td>{c.name}</td>
                <td>{c.disabled ? <span className="badge danger">disabled</span> : <span className="badge ok">active</span>}</td>
                <td>{when(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager after={after} pageInfo={page?.pageInfo} go={(cursor) => setParams(cursor ? { after: cursor } : {})} />
    </>
  );
}
