// The landing page: the sites this admin may open (the API's `sites`).
import { Link } from 'react-router';
import { Loading } from '../components';
import { isSuper, useSession } from '../session';
import { useVisibleSites } from '../sites';

export function HomePage() {
  const session = useSession();
  const { sites, result } = useVisibleSites();
  return (
    <>
      <h1>Welcome, {session.me.email}</h1>
      {!result.data ? (
        <Loading fetching={result.fetching} error={result.error} />
      ) : sites.length ? (
        <section className="card">
          <h2>Your sites</h2>
          <ul>
            {sites.map((s) => (
              <li key={s.id}>
                <Link to={`/sites/${s.id}`}>{s.name}</Link> <span className="muted">{s.currency}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : (
        <p className="notice">
          {isSuper(session) ? 'No site yet: create one under Sites.' : 'No site is granted to you yet: ask a super admin.'}
        </p>
      )}
    </>
  );
}
