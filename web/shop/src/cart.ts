// The cart as every page reads it, and adding to it: a cart exists only once something goes in (createCart then).
import { useMutation, useQuery } from 'urql';
import { AddToCartDocument, CartDocument, CreateCartDocument } from '../../../clients/generated/graphql';
import type { UserError } from '../../shared/user-errors';
import { isClosed } from './components/OrderBits';
import { userErrors } from './errors';
import { useSession } from './session';

/** The shopper's cart (or, after checkout, that order); none before the first add. */
export function useCart() {
  const { siteId, cartToken, customerToken } = useSession();
  return useQuery({ query: CartDocument, variables: { siteId }, pause: !cartToken && !customerToken });
}

export function useAddToCart() {
  const session = useSession();
  const [cart] = useCart();
  const [, createCart] = useMutation(CreateCartDocument);
  const [, addToCart] = useMutation(AddToCartDocument);
  const { siteId } = session;

  /** The userErrors of the add (INSUFFICIENT_STOCK names `quantity`), or of making the cart. */
  return async (productId: string, quantity: number): Promise<UserError[]> => {
    const current = cart.data?.cart;
    // A confirmed (or expired) order takes no more lines: a new cart, as for a first visit.
    if (!current || isClosed(current.state)) {
      const made = await createCart({ siteId });
      if (made.error) return [{ code: 'REQUEST', message: made.error.message.replace(/^\[\w+\] /, '') }];
      const errors = userErrors(made.data?.createCart.userErrors);
      if (errors.length) return errors;
      // Stored before the add: the client reads it at each request (session.tsx).
      session.setCartToken(made.data!.createCart.cartToken!);
    }
    const added = await addToCart({ siteId, productId, quantity });
    if (added.error) return [{ code: 'REQUEST', message: added.error.message.replace(/^\[\w+\] /, '') }];
    return userErrors(added.data?.addToCart.userErrors);
  };
}
