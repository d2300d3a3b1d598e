/** Stripe's documented test payment methods and card numbers, and what paying with each does. */
import { str, type Params } from './form';
import { missing, rand, stripeError, type Reply } from './replies';

/** `disputed`: paid, then the cardholder disputes the charge at once (Stripe's createDispute test card). */
export type CardOutcome =
  { paid: true; disputed?: true } | { paid: false; declineCode: 'generic_decline' | 'insufficient_funds'; message: string };

const SUCCEEDS: CardOutcome = { paid: true };
const DISPUTED: CardOutcome = { paid: true, disputed: true };
const GENERIC_DECLINE: CardOutcome = { paid: false, declineCode: 'generic_decline', message: 'Your card was declined.' };
const INSUFFICIENT_FUNDS: CardOutcome = { paid: false, declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' };

const TEST_PAYMENT_METHODS = new Map<string, CardOutcome>([
  ['pm_card_visa', SUCCEEDS],
  ['pm_card_createDispute', DISPUTED],
  ['pm_card_chargeDeclined', GENERIC_DECLINE],
  ['pm_card_visa_chargeDeclined', GENERIC_DECLINE],
  ['pm_card_chargeDeclinedInsufficientFunds', INSUFFICIENT_FUNDS],
  ['pm_card_visa_chargeDeclinedInsufficientFunds', INSUFFICIENT_FUNDS],
]);

const TEST_CARD_NUMBERS = new Map<string, CardOutcome>([
  ['4242424242424242', SUCCEEDS],
  ['4000000000000259', DISPUTED],
  ['4000000000000002', GENERIC_DECLINE],
  ['4000000000009995', INSUFFICIENT_FUNDS],
]);

export interface PaymentMethodChoice {
  id: string;
  outcome: CardOutcome;
}

/** The payment method a confirm names, `payment_method=<id>` or `payment_method_data[card][number]`, or the refusal. */
export function choosePaymentMethod(p: Params): PaymentMethodChoice | { refusal: Reply } {
  const id = str(p.payment_method);
  if (id !== null) {
    const outcome = TEST_PAYMENT_METHODS.get(id);
    if (outcome) return { id, outcome };
    return { refusal: stripeError(400, 'resource_missing', `No such PaymentMethod: '${id}'`, { param: 'payment_method' }) };
  }
  const data = p.payment_method_data as Params | undefined;
  if (data === undefined) return { refusal: missing('payment_method') };
  if (data.type !== 'card') {
    const message = 'Invalid payment_method_data[type]: the Stripe sandbox takes only card.';
    return { refusal: stripeError(400, undefined, message, { param: 'payment_method_data[type]' }) };
  }
  const raw = str((data.card as Params | undefined)?.number);
  if (raw === null) return { refusal: missing('payment_method_data[card][number]') };
  const outcome = TEST_CARD_NUMBERS.get(raw.replace(/[\s-]/g, ''));
  if (!outcome) return { refusal: stripeError(402, 'incorrect_number', 'Your card number is incorrect.', { param: 'number' }) };
  // Stripe makes a new PaymentMethod from the card data.
  return { id: `pm_${rand()}`, outcome };
}
