import {
  AddToCartDocument,
  CheckoutDocument,
  CreateCartDocument,
  CreateProductDocument,
  SetCheckoutDetailsDocument,
  SetStockDocument,
} from '../generated/graphql';
import { DemoError, expectNoUserErrors, type Request } from './client';
import { done } from './print';
import { checkedOutCart } from './purchase';

const address = { name: 'Grace Hopper', line1: '1 Compiler Lane', city: 'Arlington', postalCode: '22201', country: 'US' };

/** A product with one unit left: the first shopper reserves it at checkout, the second is refused INSUFFICIENT_STOCK. */
export async function sellOut(gql: Request, token: string, siteId: string) {
  const made = (await gql(CreateProductDocument, { siteId, input: { sku: 'LAMP-1', name: 'Last lamp', priceMinor: 4900 } }, { token }))
    .createProduct;
  expectNoUserErrors('createProduct', made);
  const lamp = made.product!;
  const stocked = (await gql(SetStockDocument, { siteId, productId: lamp.id, stockOnHand: 1, reason: 'last one in the shop' }, { token }))
    .setStock;
  expectNoUserErrors('setStock', stocked);
  done(`${lamp.name}: ${stocked.product!.available} available`);

  // The second shopper fills a cart while the lamp is still free, then the first checks out and reserves it.
  const cart = (await gql(CreateCartDocument, { siteId })).createCart;
  const cartToken = cart.cartToken!;
  expectNoUserErrors('addToCart', (await gql(AddToCartDocument, { siteId, productId: lamp.id, quantity: 1 }, { cartToken })).addToCart);
  const input = { email: 'grace@example.com', shippingAddress: address, billingAddress: address };
  expectNoUserErrors('setCheckoutDetails', (await gql(SetCheckoutDetailsDocument, { siteId, input }, { cartToken })).setCheckoutDetails);
  const first = await checkedOutCart(gql, siteId, [{ productId: lamp.id, quantity: 1 }]);
  done(`the first shopper checked out: order ${first.order.id} is ${first.order.state} and holds the lamp`);

  const late = (await gql(CheckoutDocument, { siteId }, { cartToken })).checkout;
  const refusal = late.userErrors[0];
  if (refusal?.code !== 'INSUFFICIENT_STOCK') throw new DemoError(`the second checkout should be refused, got ${JSON.stringify(late)}`);
  done(`the second shopper is refused: ${refusal.code} (${refusal.message}); no payment intent was created`);
}
