// The API explorer: GraphiQL, loaded only when the server serves it (web-config `explorer`: off in production,
// where introspection is off) and only when this page opens, so the console's main bundle stays small.
import { lazy, Suspense, useEffect, useState } from 'react';
import { loadWebConfig, type WebConfig } from '../../../shared/web-config';
import { useSession } from '../session';

const GraphiQLPane = lazy(() => import('./ExplorerPane'));

export function ExplorerPage() {
  const { token } = useSession();
  const [config, setConfig] = useState<WebConfig | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    loadWebConfig().then(setConfig, (e: Error) => setFailed(e.message));
  }, []);
  return (
    <>
      <h1>API explorer</h1>
      {failed && (
        <div className="form-errors" role="alert">
          <p>{failed}</p>
        </div>
      )}
      {!config && !failed && <p className="muted">Loading…</p>}
      {config && !config.explorer && (
        <p className="notice" data-testid="explorer-off">
          The API explorer is off in production: the server does not answer introspection there.
        </p>
      )}
      {config?.explorer && (
        <Suspense fallback={<p className="muted">Loading the explorer…</p>}>
          <GraphiQLPane token={token} />
        </Suspense>
      )}
    </>
  );
}
