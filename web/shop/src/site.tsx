// One site's storefront: its session (cart and customer tokens), its GraphQL client, the top bar and the pages.
import { Link, Outlet, useParams } from 'react-router';
import { useQuery } from 'urql';
import { CartDocument } from '../../../clients/generated/graphql';
import { SessionProvider, useSession } from './session';

export function Site() {
  const { siteId } = useParams();
  return (
    <SessionProvider key={siteId} siteId={siteId!}>
      <TopBar />
      <main className="page">
        <Outlet />
      </main>
    </SessionProvider>
  );
}

function TopBar() {
  const { siteId, cartToken, customerToken } = useSession();
  const [cart] = useQuery({ query: CartDocument, variables: { siteId }, pause: !cartToken && !customerToken });
  const order = cart.data?.cart;
  // A cart after checkout is an order: only a DRAFT's lines are "in the cart".
  const count = order?.state === 'DRAFT' ? order.lines.reduce((n, l) => n + l.quantity, 0) : 0;
  return (
    <header className="topbar">
      <Link className="brand" to={`/${siteId}`}>
        Aegis shop
      </Link>
      <nav className="row" aria-label="Shop">
        <Link to={`/${siteId}`}>Products</Link>
        <Link to={`/${siteId}/cart`}>Cart ({count})</Link>
        {customerToken ? <Link to={`/${siteId}/account`}>My account</Link> : <Link to={`/${siteId}/login`}>Sign in</Link>}
      </nav>
    </header>
  );
}
