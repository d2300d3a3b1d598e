import {
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  OrderDocument,
  RetryPaymentDocument,
  SetCheckoutDetailsDocument,
  type AdminOrderFragment,
  type OrderState,
} from '../generated/graphql';
import { DemoError, expectNoUserErrors, type Request } from './client';
import { confirmAtSandbox, type Session } from './pay';

const address = { name: 'Ada Lovelace', line1: '12 Demo Street', city: 'London', postalCode: 'N1 9GU', country: 'GB' };

/** A visitor's cart with the given lines and checkout details, checked out: the order and its payment session. */
export async function checkedOutCart(gql: Request, siteId: string, lines: { productId: string; quantity: number }[]) {
  const created = await gql(CreateCartDocument, { siteId });
  expectNoUserErrors('createCart', created.createCart);
  const cartToken = created.createCart.cartToken!;
  for (const line of lines) expectNoUserErrors('addToCart', (await gql(AddToCartDocument, { siteId, ...line }, { cartToken })).addToCart);
  const details = await gql(
    SetCheckoutDetailsDocument,
    { siteId, input: { email: 'ada@example.com', shippingAddress: address, billingAddress: address } },
    { cartToken },
  );
  expectNoUserErrors('setCheckoutDetails', details.setCheckoutDetails);
  const checkout = (await gql(CheckoutDocument, { siteId }, { cartToken })).checkout;
  expectNoUserErrors('checkout', checkout);
  if (!checkout.order || !checkout.paymentSession) throw new DemoError('checkout answered no payment session');
  return { cartToken, order: checkout.order, session: checkout.paymentSession as Session };
}

/** Pays and waits for the gateway's webhook to move the order (the sandbox delivers it, signed, as Stripe does). */
export async function pay(
  gql: Request,
  admin: string,
  siteId: string,
  orderId: string,
  session: Session,
  paymentMethod: string,
  expect: OrderState,
) {
  const declined = await confirmAtSandbox(session, paymentMethod);
  return { declined, order: await waitForState(gql, admin, siteId, orderId, expect) };
}

async function waitForState(gql: Request, token: string, siteId: string, id: string, expect: OrderState): Promise<AdminOrderFragment> {
  const until = Date.now() + 15_000;
  for (;;) {
    const order = (await gql(OrderDocument, { siteId, id }, { token })).order;
    if (order?.state === expect) return order;
    if (Date.now() > until)
      throw new DemoError(
        `order ${id} is ${order?.state ?? 'missing'} after 15 s, expected ${expect} (did the sandbox's webhook reach the server?)`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function retry(gql: Request, siteId: string, orderId: string, cartToken: string): Promise<Session> {
  const retried = (await gql(RetryPaymentDocument, { siteId, orderId }, { cartToken })).retryPayment;
  expectNoUserErrors('retryPayment', retried);
  if (!retried.paymentSession) throw new DemoError('retryPayment answered no payment session');
  return retried.paymentSession;
}
