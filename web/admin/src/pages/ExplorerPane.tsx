// GraphiQL against this server's /graphql, as the signed-in admin (its bearer token on every request).
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { useMemo } from 'react';

export default function ExplorerPane({ token }: { token: string }) {
  const fetcher = useMemo(() => createGraphiQLFetcher({ url: '/graphql', headers: { authorization: `Bearer ${token}` } }), [token]);
  return (
    <div className="explorer" data-testid="explorer">
      <GraphiQL
        fetcher={fetcher}
        defaultQuery={'# Requests are sent as you, with your admin token.\nquery {\n  me {\n    email\n    role\n    siteIds\n  }\n}\n'}
      />
    </div>
  );
}
