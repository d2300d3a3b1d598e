// The signed-in admin: the token lives in sessionStorage (gone with the tab), `me` comes from the API.
import { createContext, useContext } from 'react';
import type { MeQuery } from '../../../clients/generated/graphql';

const KEY = 'aegis.admin.token';

export const readToken = () => sessionStorage.getItem(KEY);
export const storeToken = (token: string) => sessionStorage.setItem(KEY, token);
export const clearToken = () => sessionStorage.removeItem(KEY);

export interface Session {
  token: string;
  me: NonNullable<MeQuery['me']>;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

export const isSuper = (s: Session) => s.me.role === 'SUPER_ADMIN';
