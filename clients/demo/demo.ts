/**
 * `npm run demo`: a tour of Aegis against a running server (AEGIS_URL, default http://127.0.0.1:4000), over HTTP
 * with the generated typed documents only. A purchase reaches CONFIRMED; a declined card is retried with a new
 * attempt and confirmed; a customer signs up, buys and reads their order history; a product sells out; the AI advisory flow follows. Exits non-zero on any failed step.
 */
import { AdminLoginDocument, CreateProductDocument, CreateSiteDocument } from '../generated/graphql';
import { DemoError, expectNoUserErrors, graphqlClient } from './client';
import { advisory } from './content';
import { customerPurchase } from './customer';
import { superAdminCredentials } from './credentials';
import { done, historyTable, note, step, storefront } from './print';
import { checkedOutCart, pay, retry } from './purchase';
import { sellOut } from './stock';

async function main() {
  const url = (process.env.AEGIS_URL || 'http://127.0.0.1:4000').replace(/\/$/, '');
  const gql = graphqlClient(url);

  step(1, `Sign in as the super admin at ${url}`);
  const creds = superAdminCredentials();
  const login = (await gql(AdminLoginDocument, { email: creds.email, password: creds.password })).adminLogin;
  expectNoUserErrors(`adminLogin as ${creds.email} (credentials from ${creds.from})`, login);
  const token = login.token!;
  done(`signed in as ${creds.email} (credentials from ${creds.from})`);

  step(2, 'Create a site and two products');
  const site = (
    await gql(CreateSiteDocument, { input: { name: `Demo shop ${new Date().toISOString().slice(0, 19)}`, currency: 'EUR' } }, { token })
  ).createSite;
  expectNoUserErrors('createSite', site);
  const siteId = site.site!.id;
  const product = async (sku: string, name: string, priceMinor: number) => {
    const made = (await gql(CreateProductDocument, { siteId, input: { sku, name, priceMinor } }, { token })).createProduct;
    expectNoUserErrors('createProduct', made);
    return made.product!;
  };
  const mug = await product('MUG-1', 'Aegis mug', 1250);
  const tee = await product('TEE-1', 'Aegis T-shirt', 2400);
  done(`site ${siteId}: ${mug.name} €12.50, ${tee.name} €24.00`);

  step(3, 'A visitor buys two mugs and a T-shirt with card 4242 4242 4242 4242');
  const first = await checkedOutCart(gql, siteId, [
    { productId: mug.id, quantity: 2 },
    { productId: tee.id, quantity: 1 },
  ]);
  done(`checkout: order ${first.order.id} is ${first.order.state}, total ${first.order.totalMinor} minor units`);
  const paid = await pay(gql, token, siteId, first.order.id, first.session, 'pm_card_visa', 'CONFIRMED');
  done(`the sandbox delivered payment_intent.succeeded, signed; the order is ${paid.order.state}`);
  historyTable(paid.order.history);

  step(4, 'Another visitor pays with a card that is declined (4000 0000 0000 0002), then retries with a good card');
  const second = await checkedOutCart(gql, siteId, [{ productId: tee.id, quantity: 1 }]);
  const failed = await pay(gql, token, siteId, second.order.id, second.session, 'pm_card_chargeDeclined', 'PAYMENT_FAILED');
  done(
    `declined (${failed.declined}): the order is ${failed.order.state}, reason "${failed.order.failureReason}", retry before ${failed.order.recoveryDeadline}`,
  );
  const again = await retry(gql, siteId, second.order.id, second.cartToken);
  if (again.id === second.session.id) throw new DemoError('retryPayment reused the first payment intent');
  done(`retryPayment opened a new attempt (intent ${again.id}, a new idempotency key)`);
  const recovered = await pay(gql, token, siteId, second.order.id, again, 'pm_card_visa', 'CONFIRMED');
  done(
    `the order is ${recovered.order.state} after ${recovered.order.paymentAttempts.length} attempts: ${recovered.order.paymentAttempts.map((a) => a.status).join(', ')}`,
  );
  historyTable(recovered.order.history);

  step(5, 'A customer signs up, buys with a saved address, and reads their order history');
  await customerPurchase(gql, token, siteId, mug.id);

  step(6, 'A product sells out: the last unit is reserved at checkout, the next shopper is refused');
  await sellOut(gql, token, siteId);

  step(7, 'Content and the AI advisory');
  await advisory(gql, token, siteId, Boolean(process.env.OPENAI_BASE_URL || process.env.OPENAI_API_KEY));

  process.stdout.write('\nThe demo finished: every step passed.\n');
  note(`see the orders with the Orders query as the admin, site ${siteId}`);
  storefront(url, siteId);
}

main().catch((err) => {
  process.stderr.write(`\nThe demo failed: ${err instanceof DemoError ? err.message : (err as Error).stack}\n`);
  process.exit(1);
});
