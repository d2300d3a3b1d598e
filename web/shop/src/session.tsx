// The shopper's credentials on one site, kept in localStorage per site so a reload (or the next visit) keeps the
// cart and the sign-in: the guest's cart token (X-Cart-Token) and the customer's token (Authorization).
import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { Provider } from 'urql';
import { makeClient } from '../../shared/client';

const key = (siteId: string, what: 'cartToken' | 'customerToken') => `aegis.shop.${siteId}.${what}`;

function read(siteId: string, what: 'cartToken' | 'customerToken'): string | null {
  return localStorage.getItem(key(siteId, what));
}

function write(siteId: string, what: 'cartToken' | 'customerToken', value: string | null) {
  if (value) localStorage.setItem(key(siteId, what), value);
  else localStorage.removeItem(key(siteId, what));
}

export interface ShopSession {
  siteId: string;
  cartToken: string | null;
  customerToken: string | null;
  setCartToken(token: string | null): void;
  setCustomerToken(token: string | null): void;
}

const SessionContext = createContext<ShopSession | null>(null);

export function useSession(): ShopSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a site');
  return session;
}

/** The site's session and its GraphQL client. */
export function SessionProvider({ siteId, children }: { siteId: string; children: ReactNode }) {
  const [cartToken, setCart] = useState(() => read(siteId, 'cartToken'));
  const [customerToken, setCustomer] = useState(() => read(siteId, 'customerToken'));
  // The client reads localStorage at every request, so a request sent right after createCart already carries the
  // new token. A sign-in or sign-out makes a new client (its cache was another shopper's); a new cart keeps the
  // client, so the add that follows createCart invalidates the cart its top bar read (a new client there would
  // race the add and could keep showing the empty cart).
  const client = useMemo(
    () => makeClient({ token: () => read(siteId, 'customerToken'), cartToken: () => read(siteId, 'cartToken') }),
    [siteId, customerToken],
  );
  const session = useMemo<ShopSession>(
    () => ({
      siteId,
      cartToken,
      customerToken,
      setCartToken(token) {
        write(siteId, 'cartToken', token);
        setCart(token);
      },
      setCustomerToken(token) {
        write(siteId, 'customerToken', token);
        setCustomer(token);
      },
    }),
    [siteId, cartToken, customerToken],
  );
  return (
    <SessionContext.Provider value={session}>
      <Provider value={client}>{children}</Provider>
    </SessionContext.Provider>
  );
}
