import type { ResultOf, TypedDocumentNode, VariablesOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { systemClock, type Clock } from '../../src/domain/clock';
import type { Faults } from '../../src/domain/deps';
import type { PaymentProvider } from '../../src/domain/order/ports';
import { signedWebhook, startStripeSandbox, type StripeSandbox } from '../../src/integrations/stripe/sandbox';
import { startAegis, type Aegis } from '../../src/runtime';
import { AdminLoginDocument } from '../../clients/generated/graphql';
import { createTestDatabase } from './databases';
import { startFakeOpenAI, type FakeOpenAI } from './fake-openai';

export const WEBHOOK_SECRET = 'whsec_aegis_test_secret';
export const SUPER_ADMIN = { email: 'root@aegis.test', password: 'root-password-for-tests' };

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

export interface Headers {
  token?: string;
  cartToken?: string;
  /** Sent as X-Request-Id. */
  requestId?: string;
  /** Sent as X-Forwarded-For. */
  forwardedFor?: string;
}

/**
 * A real Aegis server (HTTP on 127.0.0.1) on its own fresh database, with the Stripe sandbox
 * as its gateway. Nothing of our own is replaced.
 */
export interface TestAegis {
  aegis: Aegis;
  stripe: StripeSandbox;
  /** The OpenAI-compatible test server the AI Advisory Service calls. */
  openai: FakeOpenAI;
  dbUrl: string;
  /** Sends a generated typed document (clients/generated), as the storefront and admin clients do. */
  op: Op;
  /** For probes only: documents no real client sends (malformed, depth/cost/alias probes, built programmatically, fuzzed). */
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Headers): Promise<GqlResult<T>>;
  /** Posts a gateway event signed with the webhook secret (or a custom header). */
  webhook(event: object, opts?: { signature?: string; timestamp?: number }): Promise<{ status: number; body: any }>;
  superToken(): Promise<string>;
  close(): Promise<void>;
}

export type Gql = <T = any>(query: string, variables?: Record<string, unknown>, headers?: Headers) => Promise<GqlResult<T>>;

/** Sends a generated typed document: its variables and its result are typed by the document. */
export type Op = <D extends TypedDocumentNode<any, any>>(
  document: D,
  variables: VariablesOf<D>,
  headers?: Headers,
) => Promise<GqlResult<ResultOf<D>>>;

/** A GraphQL client of the server at `url`, sending credentials the way the storefront and admin clients do. */
export function gqlClient(url: string): Gql {
  return async (query, variables, headers = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(headers.token && { authorization: `Bearer ${headers.token}` }),
        ...(headers.cartToken && { 'x-cart-token': headers.cartToken }),
        ...(headers.requestId && { 'x-request-id': headers.requestId }),
        ...(headers.forwardedFor && { 'x-forwarded-for': headers.forwardedFor }),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, ...((await res.json()) as object) } as GqlResult;
  };
}

const printed = new WeakMap<TypedDocumentNode<any, any>, string>();

/** The typed-document client over `gql`: it prints the document, as clients/demo/client.ts does. */
export function opClient(gql: Gql): Op {
  return (document, variables, headers) => {
    let query = printed.get(document);
    if (query === undefined) printed.set(document, (query = print(document)));
    return gql(query, variables, headers);
  };
}

/** Posts a gateway event to the server at `url`, signed with the webhook secret (or a custom header). */
export async function postWebhook(url: string, event: object, o: { signature?: string; timestamp?: number } = {}) {
  const payload = JSON.stringify(event);
  const res = await fetch(`${url}/webhooks/stripe`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': o.signature ?? signedWebhook(payload, WEBHOOK_SECRET, { timestamp: o.timestamp }),
    },
    body: payload,
  });
  return { status: res.status, body: await res.json() };
}

export async function loginSuperAdmin(op: Op): Promise<string> {
  const r = await op(AdminLoginDocument, { email: SUPER_ADMIN.email, password: SUPER_ADMIN.password });
  const token = r.data?.adminLogin.token;
  if (!token) throw new Error(`super admin login failed: ${JSON.stringify(r)}`);
  return token;
}

export interface TestAegisOptions {
  clock?: Clock;
  faults?: Faults;
  onQuery?: (sql: string) => void;
  aiTimeoutMs?: number;
  /** Extra env, e.g. ALERT_WEBHOOK_URL. */
  env?: NodeJS.ProcessEnv;
  /** The sandbox delivers the events of its API calls (confirm, refund, cancel) to the server's webhook route, as Stripe would. */
  deliverWebhooks?: boolean;
  /** Payment providers registered beside Stripe (test/api/payment-provider.test.ts). */
  paymentProviders?: PaymentProvider[];
}

export async function startTestAegis(opts: TestAegisOptions = {}): Promise<TestAegis> {
  const db = await createTestDatabase();
  // A short first retry delay, so a test sees a redelivery within its timeout.
  const stripe = await startStripeSandbox({ retry: { firstDelayMs: 50 } });
  const openai = await startFakeOpenAI();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'aegis-test-')),
    STRIPE_API_BASE: stripe.url,
    OPENAI_BASE_URL: openai.url,
    ...(opts.aiTimeoutMs && { AI_TIMEOUT_MS: String(opts.aiTimeoutMs) }),
    STRIPE_SECRET_KEY: 'sk_test_aegis',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    JWT_SECRET: 'test-jwt-secret-0123456789abcdef',
    SUPER_ADMIN_EMAIL: SUPER_ADMIN.email,
    SUPER_ADMIN_PASSWORD: SUPER_ADMIN.password,
    // Every test client is 127.0.0.1: only the cart-limit tests set a real limit.
    CART_RATE_LIMIT_PER_MINUTE: '1000000',
    ...opts.env,
  });
  const aegis = await startAegis(config, {
    port: 0,
    clock: opts.clock,
    faults: opts.faults,
    onQuery: opts.onQuery,
    paymentProviders: opts.paymentProviders,
  });
  if (opts.deliverWebhooks) stripe.setWebhook(`${aegis.url}/webhooks/stripe`, WEBHOOK_SECRET);
  let superToken: { token: string; at: number } | undefined;

  const gql = gqlClient(aegis.url);
  const op = opClient(gql);

  return {
    aegis,
    stripe,
    openai,
    dbUrl: db.url,
    op,
    gql,
    webhook: (event, o) => postWebhook(aegis.url, event, o),
    async superToken() {
      // Tokens live at most 24 h: a test that moves its clock further signs in again.
      const now = (opts.clock ?? systemClock).now().getTime();
      if (!superToken || now - superToken.at > 3600 * 1000) superToken = { token: await loginSuperAdmin(op), at: now };
      return superToken.token;
    },
    async close() {
      // The sandbox first: it cancels its pending retries and finishes deliveries in flight while the server still answers.
      await stripe.close();
      await aegis.close();
      await openai.close();
      await db.drop();
    },
  };
}
