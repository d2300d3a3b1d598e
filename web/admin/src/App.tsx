// Signed out: the login page. Signed in: the API client with the admin's token, the admin's `me`, the routes.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { Provider, useQuery } from 'urql';
import { MeDocument } from '../../../clients/generated/graphql';
import { makeClient } from '../../shared/client';
import { RequestError } from '../../shared/user-errors';
import { isUnauthenticated } from './errors';
import { Layout, SiteScope } from './Layout';
import { AdminsPage } from './pages/Admins';
import { AuditPage } from './pages/Audit';
import { ContentItemPage } from './pages/ContentItem';
import { ContentListPage } from './pages/ContentList';
import { CustomerPage } from './pages/Customer';
import { CustomersPage } from './pages/Customers';
import { DashboardPage } from './pages/Dashboard';
import { ExplorerPage } from './pages/Explorer';
import { HomePage } from './pages/Home';
import { LoginPage } from './pages/Login';
import { OrderPage } from './pages/Order';
import { OrdersPage } from './pages/Orders';
import { ProductPage } from './pages/Product';
import { ProductsPage } from './pages/Products';
import { SitesPage } from './pages/Sites';
import { SuggestionPage } from './pages/Suggestion';
import { clearToken, readToken, SessionContext, storeToken } from './session';

export function App() {
  const [token, setToken] = useState(readToken);
  // A new client per token: nothing one admin's session cached is shown to the next one.
  const client = useMemo(() => makeClient({ token: () => token }), [token]);
  const signOut = useCallback(() => {
    clearToken();
    setToken(null);
  }, []);
  return (
    <Provider value={client}>
      {token ? (
        <SignedIn token={token} signOut={signOut} />
      ) : (
        <LoginPage
          onSignedIn={(t) => {
            storeToken(t);
            setToken(t);
          }}
        />
      )}
    </Provider>
  );
}

function SignedIn({ token, signOut }: { token: string; signOut: () => void }) {
  const [me] = useQuery({ query: MeDocument, requestPolicy: 'network-only' });
  const session = useMemo(() => (me.data?.me ? { token, me: me.data.me, signOut } : null), [token, me.data, signOut]);
  // An expired or revoked token (adminLogoutAll elsewhere): back to the login page.
  const refused = isUnauthenticated(me.error) || (!!me.data && !me.data.me);
  useEffect(() => {
    if (refused) signOut();
  }, [refused, signOut]);
  if (refused) return null;
  if (me.fetching && !me.data) return <p className="page muted">Loading…</p>;
  if (!session) return <RequestError error={me.error} />;
  return (
    <SessionContext.Provider value={session}>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<HomePage />} />
          <Route path="sites" element={<SitesPage />} />
          <Route path="admins" element={<AdminsPage />} />
          <Route path="explorer" element={<ExplorerPage />} />
          <Route path="sites/:siteId" element={<SiteScope />}>
            <Route index element={<DashboardPage />} />
            <Route path="products" element={<ProductsPage />} />
            <Route path="products/:productId" element={<ProductPage />} />
            <Route path="orders" element={<OrdersPage />} />
            <Route path="orders/:orderId" element={<OrderPage />} />
            <Route path="audit" element={<AuditPage />} />
            <Route path="customers" element={<CustomersPage />} />
            <Route path="customers/:customerId" element={<CustomerPage />} />
            <Route path="content" element={<ContentListPage />} />
            <Route path="content/:itemId" element={<ContentItemPage />} />
            <Route path="content/:itemId/suggestions/:suggestionId" element={<SuggestionPage />} />
          </Route>
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </SessionContext.Provider>
  );
}
