// Following an order the gateway's webhook moves: ask again every second, for up to 30 s, until it settles.
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { ShopOrderDocument, type OrderState } from '../../../clients/generated/graphql';
import { useSession } from './session';

export const POLL_MS = 1000;
export const POLL_FOR_MS = 30_000;

/** The order, polled while `until(state)` is false; `gaveUp` once 30 s passed without it. */
export function useOrderUntil(orderId: string, until: (state: OrderState) => boolean) {
  const { siteId } = useSession();
  const [result, reexecute] = useQuery({ query: ShopOrderDocument, variables: { siteId, id: orderId }, requestPolicy: 'network-only' });
  const [started] = useState(() => Date.now());
  const [gaveUp, setGaveUp] = useState(false);
  const state = result.data?.order?.state;
  const settled = state !== undefined && until(state);

  useEffect(() => {
    if (settled || gaveUp || result.fetching) return;
    const timer = setTimeout(() => {
      if (Date.now() - started > POLL_FOR_MS) setGaveUp(true);
      else reexecute({ requestPolicy: 'network-only' });
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [settled, gaveUp, result.fetching, result.data, started, reexecute]);

  return { result, order: result.data?.order ?? null, settled, gaveUp };
}
