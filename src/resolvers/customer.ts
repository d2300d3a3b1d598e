import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { customerLogin, customerLogout, customerSignUp } from '../domain/identity/customer-auth';
import { addCustomerAddress, removeCustomerAddress, updateCustomerProfile } from '../domain/identity/customer-profile';
import { getCustomer } from '../domain/identity/customers';
import { requestPasswordReset, resetPassword } from '../domain/identity/password-reset';
import type { Result } from '../domain/errors';
import {
  Customer,
  CustomerAddressPayload,
  CustomerLoginPayload,
  CustomerPayload,
  CustomerSignUpInput,
  CustomerSignUpPayload,
  PasswordResetPayload,
  UpdateCustomerProfileInput,
} from '../schema/customer-types';
import { AddressInput } from '../schema/inputs';
import { payload, toOrder } from './mappers';

/** Shield lets a customer operation through only for a signed-in customer of the site: its absence here is a bug. */
export function customerOf(ctx: Context) {
  if (!ctx.customer) throw new Error('customer operation reached without a customer');
  return ctx.customer;
}

const same = <T>(v: T) => v;
const accepted = (result: Result<{ accepted: true }>) =>
  result.ok ? { accepted: true, userErrors: [] } : { accepted: false, userErrors: result.errors };

/** The storefront's customer accounts: sign-up, login, logout, profile and password reset. */
@Resolver()
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'The signed-in customer.' })
  customer(@Arg('siteId', () => ID) siteId: string, @Ctx() ctx: Context): Promise<Customer | null> {
    return getCustomer(ctx.em, siteId, customerOf(ctx).customerId);
  }

  @Mutation(() => CustomerSignUpPayload, { description: 'Never returns a token: the customer then logs in.' })
  async customerSignUp(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => CustomerSignUpInput) input: CustomerSignUpInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerSignUpPayload> {
    return accepted(await customerSignUp(ctx.em, ctx.deps, { siteId, ...input, clientKey: ctx.clientKey }));
  }

  @Mutation(() => CustomerLoginPayload, { description: "With the guest's X-Cart-Token, the guest cart becomes the customer's." })
  async customerLogin(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerLoginPayload> {
    const result = await customerLogin(ctx.em, ctx.deps, {
      siteId,
      email,
      password,
      clientKey: ctx.clientKey,
      guestCartTokenHash: ctx.visitor?.cartTokenHash,
    });
    if (!result.ok) return { token: null, customer: null, cart: null, userErrors: result.errors };
    const { token, customer, cart, cartErrors } = result.value;
    return { token, customer, cart: cart ? toOrder(cart) : null, userErrors: cartErrors };
  }

  @Mutation(() => CustomerPayload, { description: 'Ends every session of the customer: all its tokens, this one included.' })
  async customerLogout(@Arg('siteId', () => ID) _siteId: string, @Ctx() ctx: Context): Promise<CustomerPayload> {
    return payload('customer', await customerLogout(ctx.em, ctx.deps, customerOf(ctx)), same);
  }

  @Mutation(() => CustomerPayload)
  async updateCustomerProfile(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => UpdateCustomerProfileInput) input: UpdateCustomerProfileInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload('customer', await updateCustomerProfile(ctx.em, ctx.deps, customerOf(ctx), { siteId, name: input.name }), same);
  }

  @Mutation(() => CustomerAddressPayload)
  async addCustomerAddress(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('input', () => AddressInput) input: AddressInput,
    @Ctx() ctx: Context,
  ): Promise<CustomerAddressPayload> {
    const result = await addCustomerAddress(ctx.em, ctx.deps, customerOf(ctx), { siteId, address: input });
    return result.ok ? { ...result.value, userErrors: [] } : { address: null, customer: null, userErrors: result.errors };
  }

  @Mutation(() => CustomerPayload)
  async removeCustomerAddress(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('addressId', () => ID) addressId: string,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload('customer', await removeCustomerAddress(ctx.em, ctx.deps, customerOf(ctx), { siteId, addressId }), same);
  }

  @Mutation(() => PasswordResetPayload, { description: 'Mails a single-use code valid 30 minutes; answers alike whatever the email.' })
  async requestPasswordReset(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('email', () => String) email: string,
    @Ctx() ctx: Context,
  ): Promise<PasswordResetPayload> {
    return accepted(await requestPasswordReset(ctx.em, ctx.deps, { siteId, email, clientKey: ctx.clientKey }));
  }

  @Mutation(() => PasswordResetPayload, {
    description: 'Spends the code: the new password, and every earlier token of the customer refused.',
  })
  async resetPassword(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('token', () => String) token: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<PasswordResetPayload> {
    return accepted(await resetPassword(ctx.em, ctx.deps, { siteId, token, password }));
  }
}
