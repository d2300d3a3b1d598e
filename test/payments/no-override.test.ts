import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { randomUUID } from 'node:crypto';
import { AdminLoginDocument, CreateSiteAdminDocument } from '../../clients/generated/graphql';
import { buildGraphQLSchema } from '../../src/schema/build';
import { loginSuperAdmin, startTestAegis, type Headers, type TestAegis } from '../support/aegis';
import { addToCart, createCart, createProduct, createSite, pendingOrder, setDetails, signedInCustomer } from '../support/flows';
import { confirmedOrder, failedOrder, refundOrder, runExpiryJob, sql } from './support';

/**
 * CONTRACT: "No operation, for any role, moves an order to PAYMENT_AUTHORIZED or CONFIRMED: only a verified
 * gateway event does." The walk calls every mutation of the emitted schema, as every kind of caller, against
 * orders in every state, twice over, and then reads the database.
 */
let t: TestAegis;
beforeAll(async () => {
  t = await startTestAegis({ env: { EXPIRY_JOB_CRON: 'off' } });
});
afterAll(() => t.close());

interface Fixture {
  siteId: string;
  orderId: string;
  cartToken: string;
  productId: string;
}

/** Values for an argument of the given type, chosen by its name where the name says what it is. */
function valueFor(name: string, type: GraphQLInputType, f: Fixture, lineId: string | null): unknown {
  if (isNonNullType(type)) return valueFor(name, type.ofType, f, lineId);
  if (isListType(type)) return [valueFor(name.replace(/s$/, ''), type.ofType, f, lineId)];
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(fields.map((field) => [field.name, valueFor(field.name, field.type, f, lineId)]));
  }
  switch (named.name) {
    case 'ID':
      return (
        { siteId: f.siteId, orderId: f.orderId, id: f.orderId, productId: f.productId, lineId: lineId ?? randomUUID() }[name] ?? f.orderId
      );
    case 'Int':
      return 1;
    case 'Boolean':
      return false;
    default:
      return (
        {
          email: 'walker@example.com',
          password: 'walker-password-123',
          currency: 'EUR',
          country: 'GB',
          sku: `WALK-${randomUUID().slice(0, 8)}`,
        }[name] ?? `walk ${name}`
      );
  }
}

function document(field: string, args: readonly GraphQLArgument[], selection: boolean): string {
  const vars = args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `mutation${vars ? `(${vars})` : ''} { ${field}${call ? `(${call})` : ''}${selection ? ' { __typename }' : ''} }`;
}

it('no mutation, for any role, moves an order to PAYMENT_AUTHORIZED or CONFIRMED', async () => {
  const siteId = await createSite(t, 'Walk');
  const productId = await createProduct(t, siteId, 'WALK', 1000);
  const draft = await createCart(t, siteId);
  await addToCart(t, draft.cartToken, siteId, productId, 1);
  await setDetails(t, draft.cartToken, siteId);
  const expired = await pendingOrder(t, siteId);
  await sql(t.dbUrl, `update payment_attempts set created_at = now() - interval '25 hours' where order_id = $1`, [expired.orderId]);
  expect(await runExpiryJob(t)).toBe('completed');
  const refunded = await confirmedOrder(t, siteId);
  expect((await refundOrder(t, await t.superToken(), siteId, refunded.orderId)).data!.refundOrder.order!.state).toBe('REFUNDED');
  const orders = {
    DRAFT: draft,
    PENDING_PAYMENT: await pendingOrder(t, siteId),
    PAYMENT_FAILED: await failedOrder(t, siteId),
    EXPIRED: expired,
    CONFIRMED: await confirmedOrder(t, siteId),
    REFUNDED: refunded,
  };
  const states = await sql(t.dbUrl, `select id, state from orders where site_id = $1`, [siteId]);
  expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual(
    Object.fromEntries(Object.entries(orders).map(([state, o]) => [o.orderId, state])),
  );
  const byGateway = async () =>
    sql(t.dbUrl, `select entity_id, to_state, actor from audit_log where to_state in ('PAYMENT_AUTHORIZED', 'CONFIRMED') order by at, id`);
  const before = await byGateway();
  expect(before.map((r) => r.actor)).toEqual(Array(4).fill('gateway:stripe'));

  const siteAdmin = await t.op(
    CreateSiteAdminDocument,
    { input: { email: 'walk-admin@example.com', password: 'walk-admin-password', siteIds: [siteId] } },
    { token: await t.superToken() },
  );
  expect(siteAdmin.data!.createSiteAdmin.admin).not.toBeNull();
  const adminLogin = async () =>
    (await t.op(AdminLoginDocument, { email: 'walk-admin@example.com', password: 'walk-admin-password' })).data!.adminLogin.token as string;

  // The logouts revoke their caller's tokens: they are walked last, and each order's walk signs in afresh.
  const LAST = ['customerLogout', 'adminLogoutAll'];
  const mutations = Object.values(buildGraphQLSchema().getMutationType()!.getFields()).sort(
    (x, y) => LAST.indexOf(x.name) - LAST.indexOf(y.name),
  );
  const executed = new Set<string>();
  for (let pass = 0; pass < 2; pass++) {
    for (const o of Object.values(orders)) {
      const fixture: Fixture = { siteId, productId, orderId: o.orderId, cartToken: o.cartToken };
      const [line] = await sql(t.dbUrl, `select id from order_lines where order_id = $1`, [o.orderId]);
      const customer = await signedInCustomer(t, siteId);
      const callers: Headers[] = [
        { token: await loginSuperAdmin(t.op) },
        { token: await adminLogin() },
        { cartToken: o.cartToken },
        { token: customer.token },
        { token: customer.token, cartToken: o.cartToken },
        {},
      ];
      for (const m of mutations) {
        const doc = document(m.name, m.args, isObjectType(getNamedType(m.type)));
        const variables = Object.fromEntries(m.args.map((a) => [a.name, valueFor(a.name, a.type, fixture, line?.id ?? null)]));
        for (const headers of callers) {
          const r = await t.gql(doc, variables, headers);
          expect(r.status).toBeLessThan(500);
          if (r.data?.[m.name]) executed.add(m.name);
        }
      }
    }
  }

  // The walk reached every mutation's resolver, yet the only authorizations and confirmations are the gateway's.
  expect([...executed].sort()).toEqual(mutations.map((m) => m.name).sort());
  expect(await byGateway()).toEqual(before);
  const paid = await sql(t.dbUrl, `select id from orders where state in ('PAYMENT_AUTHORIZED', 'CONFIRMED')`);
  expect(paid.filter((r) => !before.some((b) => b.entity_id === r.id))).toEqual([]);
}, 180_000);
