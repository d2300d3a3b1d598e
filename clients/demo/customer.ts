import {
  AddCustomerAddressDocument,
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  CustomerLoginDocument,
  CustomerSignUpDocument,
  MyOrdersDocument,
  SetCheckoutDetailsDocument,
} from '../generated/graphql';
import { DemoError, expectNoUserErrors, type Request } from './client';
import { done, historyTable } from './print';
import { pay } from './purchase';
import type { Session } from './pay';

const address = { name: 'Grace Hopper', line1: '7 Compiler Lane', city: 'Arlington', postalCode: '22201', country: 'US' };

/**
 * A customer signs up, signs in, saves an address, buys with it, and reads their order history: the seed's
 * authenticated visitor, over the same typed documents a storefront uses.
 */
export async function customerPurchase(gql: Request, admin: string, siteId: string, productId: string) {
  const email = `grace-${Date.now().toString(36)}@example.com`;
  const password = 'a-long-demo-password';
  const signUp = (await gql(CustomerSignUpDocument, { siteId, input: { email, password, name: 'Grace Hopper' } })).customerSignUp;
  expectNoUserErrors('customerSignUp', signUp);
  done(`signed up ${email} (the answer is the same for an address that already has an account)`);
  const login = (await gql(CustomerLoginDocument, { siteId, email, password })).customerLogin;
  expectNoUserErrors('customerLogin', login);
  const token = login.token!;
  done(`signed in: a customer token for this site only`);

  const saved = (await gql(AddCustomerAddressDocument, { siteId, input: address }, { token })).addCustomerAddress;
  expectNoUserErrors('addCustomerAddress', saved);
  const addressId = saved.address!.id;
  expectNoUserErrors('createCart', (await gql(CreateCartDocument, { siteId }, { token })).createCart);
  expectNoUserErrors('addToCart', (await gql(AddToCartDocument, { siteId, productId, quantity: 3 }, { token })).addToCart);
  const details = await gql(
    SetCheckoutDetailsDocument,
    { siteId, input: { email, shippingAddressId: addressId, billingAddressId: addressId } },
    { token },
  );
  expectNoUserErrors('setCheckoutDetails', details.setCheckoutDetails);
  const checkout = (await gql(CheckoutDocument, { siteId }, { token })).checkout;
  expectNoUserErrors('checkout', checkout);
  if (!checkout.order || !checkout.paymentSession) throw new DemoError('checkout answered no payment session');
  done(`checked out with the saved address: order ${checkout.order.id} is ${checkout.order.state}`);
  const paid = await pay(gql, admin, siteId, checkout.order.id, checkout.paymentSession as Session, 'pm_card_visa', 'CONFIRMED');
  done(`paid: the order is ${paid.order.state}`);

  const history = (await gql(MyOrdersDocument, { siteId }, { token })).myOrders.edges.map((e) => e.node);
  if (history[0]?.id !== checkout.order.id) throw new DemoError('myOrders does not list the order just paid first');
  done(`order history (newest first): ${history.map((o) => `${o.id} ${o.state}`).join(', ')}`);
  historyTable(history[0].history);
}
