import { randomUUID } from 'node:crypto';
import { AuditLogDocument, CustomerLoginDocument, CustomerSignUpDocument } from '../../clients/generated/graphql';
import type { Headers, TestAegis } from '../support/aegis';

export const PASSWORD = 'customer-password-1';
export const WINDOW_MS = 15 * 60 * 1000;

export const newEmail = (tag = 'c') => `${tag}-${randomUUID().slice(0, 8)}@example.com`;
export const code = (r: { errors?: { extensions?: { code?: string } }[] }) => r.errors?.[0]?.extensions?.code ?? null;

export const signUp = (t: TestAegis, siteId: string, email: string, password = PASSWORD, headers?: Headers) =>
  t.op(CustomerSignUpDocument, { siteId, input: { email, password, name: 'Grace Hopper' } }, headers);

export const loginCustomer = (t: TestAegis, siteId: string, email: string, password = PASSWORD, headers?: Headers) =>
  t.op(CustomerLoginDocument, { siteId, email, password }, headers);

/** A customer signed up and logged in through the API. */
export async function customerAccount(t: TestAegis, siteId: string, email = newEmail()) {
  const up = await signUp(t, siteId, email);
  if (!up.data?.customerSignUp.accepted) throw new Error(`sign-up failed: ${JSON.stringify(up)}`);
  const r = await loginCustomer(t, siteId, email);
  const login = r.data?.customerLogin;
  if (!login?.token || !login.customer) throw new Error(`login failed: ${JSON.stringify(r)}`);
  return { email, token: login.token, customerId: login.customer.id };
}

/** The site's audit entries (read by the super admin), oldest first. */
export async function auditOf(t: TestAegis, siteId: string) {
  const r = await t.op(AuditLogDocument, { siteId, first: 100 }, { token: await t.superToken() });
  return r.data!.auditLog.edges.map((e) => e.node);
}
