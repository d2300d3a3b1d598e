// The one GraphQL client of both web apps: urql with the typed documents generated from clients/*.graphql
// (clients/generated), so every result and variable type comes from the schema, never typed by hand.
import { Client, cacheExchange, fetchExchange } from '@urql/core';

export interface Credentials {
  /** `Authorization: Bearer …`: an admin's or a customer's token. */
  token?: () => string | null;
  /** `X-Cart-Token`: the storefront's guest cart. */
  cartToken?: () => string | null;
}

export function makeClient(creds: Credentials): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    // Our answers change under us (webhooks confirm orders): lists ask the server again when a page opens.
    requestPolicy: 'cache-and-network',
    // POST for queries too: urql sends short queries as GET, which the server's CSRF prevention refuses (HTTP 400).
    preferGetMethod: false,
    fetchOptions: () => {
      const headers: Record<string, string> = {};
      const token = creds.token?.();
      const cart = creds.cartToken?.();
      if (token) headers.authorization = `Bearer ${token}`;
      if (cart) headers['x-cart-token'] = cart;
      return { headers };
    },
  });
}
