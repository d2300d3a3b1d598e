import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';

/** One failed step of the demo: its message is what the newcomer reads. */
export class DemoError extends Error {}

export interface Credentials {
  token?: string;
  cartToken?: string;
}

/**
 * A GraphQL client over HTTP on the generated typed documents (clients/generated): results and variables are
 * typed by the document, never by hand. Transport errors and GraphQL errors throw; userErrors are the caller's.
 */
export function graphqlClient(url: string) {
  return async function request<R, V>(document: TypedDocumentNode<R, V>, variables: V, creds: Credentials = {}): Promise<R> {
    let res: Response;
    try {
      res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(creds.token && { authorization: `Bearer ${creds.token}` }),
          ...(creds.cartToken && { 'x-cart-token': creds.cartToken }),
        },
        body: JSON.stringify({ query: print(document), variables }),
      });
    } catch (err) {
      throw new DemoError(`cannot reach Aegis at ${url} (${(err as Error).message}): start it with \`npm start\`, or set AEGIS_URL`);
    }
    const body = (await res.json().catch(() => ({}))) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[] };
    if (body.errors?.length || !body.data) {
      const why = body.errors?.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message}`).join('; ') ?? `HTTP ${res.status}`;
      throw new DemoError(`GraphQL answered ${why}`);
    }
    return body.data;
  };
}

export type Request = ReturnType<typeof graphqlClient>;

/** Fails the step when a payload carries userErrors. */
export function expectNoUserErrors(step: string, payload: { userErrors: { code: string; message: string }[] }) {
  if (payload.userErrors.length) throw new DemoError(`${step}: ${payload.userErrors.map((e) => `${e.code}: ${e.message}`).join('; ')}`);
}
