// The frame of every signed-in page: the site switcher, the navigation of the chosen site, the admin's menu.
import { NavLink, Outlet, useMatch, useNavigate, useOutletContext, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { AdminLogoutAllDocument, SiteDocument, type SiteQuery } from '../../../clients/generated/graphql';
import { Loading, NoAccess } from './components';
import { isForbidden } from './errors';
import { isSuper, useSession } from './session';
import { useVisibleSites } from './sites';

export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const match = useMatch('/sites/:siteId/*');
  const siteId = match?.params.siteId;
  const { sites } = useVisibleSites();
  const [, logoutAll] = useMutation(AdminLogoutAllDocument);

  // Switching keeps the section (orders, products…) but not a record of the other site.
  const switchTo = (id: string) => {
    const section = (match?.params['*'] ?? '').split('/')[0];
    void navigate(id ? `/sites/${id}${section ? `/${section}` : ''}` : '/');
  };
  const link = (to: string, label: string, end = false) => (
    <NavLink to={`/sites/${siteId}${to}`} end={end}>
      {label}
    </NavLink>
  );
  return (
    <div className="layout">
      <nav aria-label="Main">
        <NavLink className="brand" to="/" end>
          Aegis admin
        </NavLink>
        <label className="switcher">
          Site
          <select value={siteId ?? ''} onChange={(e) => switchTo(e.target.value)} data-testid="site-switcher">
            <option value="">Choose a site…</option>
            {sites.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {/* A site typed into the URL that is not in the list still shows as chosen (the page says if it is allowed). */}
            {siteId && !sites.some((s) => s.id === siteId) && <option value={siteId}>(not in your sites)</option>}
          </select>
        </label>
        {siteId && (
          <div className="nav-group">
            {link('', 'Dashboard', true)}
            {link('/products', 'Products')}
            {link('/orders', 'Orders')}
            {link('/customers', 'Customers')}
            {link('/content', 'Content')}
            {link('/audit', 'Audit log')}
          </div>
        )}
        <div className="nav-group">
          {isSuper(session) && (
            <>
              <NavLink to="/sites" end>
                Sites
              </NavLink>
              <NavLink to="/admins">Admins</NavLink>
            </>
          )}
          <NavLink to="/explorer">API explorer</NavLink>
        </div>
        <div className="nav-group who">
          <p>
            {session.me.email}
            <br />
            <span className="role">{session.me.role === 'SUPER_ADMIN' ? 'Super admin' : 'Site admin'}</span>
          </p>
          <button type="button" className="secondary" onClick={session.signOut}>
            Sign out
          </button>
          <button
            type="button"
            className="secondary"
            title="Ends every session of this account, in every browser"
            onClick={() => void logoutAll({}).then(session.signOut)}
          >
            Sign out everywhere
          </button>
        </div>
      </nav>
      <main>
        <Outlet />
      </main>
    </div>
  );
}

export type ScopedSite = NonNullable<SiteQuery['site']>;

/** Every page under /sites/:siteId: nothing renders unless the API shows this admin the site. */
export function SiteScope() {
  const { siteId } = useParams();
  const [r] = useQuery({ query: SiteDocument, variables: { siteId: siteId! } });
  if (!r.data?.site) {
    // FORBIDDEN, or null for an unknown id: the same message either way.
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="site" />;
  }
  return <Outlet context={r.data.site satisfies ScopedSite} />;
}

export const useSite = () => useOutletContext<ScopedSite>();
