import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { setCustomerDisabled } from '../domain/identity/admin-customers';
import { CUSTOMER_PAGE, getCustomer, listCustomers } from '../domain/identity/customers';
import { Customer, CustomerConnection, CustomerPayload } from '../schema/customer-types';
import { connection, payload } from './mappers';
import { adminOf } from './platform';

const same = <T>(v: T) => v;

/** An admin of the site (a super admin: any site) reads its customers and disables them. */
@Resolver()
export class AdminCustomersResolver {
  @Query(() => CustomerConnection, { description: "The site's customers, oldest first." })
  async customers(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('first', () => Int, { nullable: true, defaultValue: CUSTOMER_PAGE.default }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: Context,
  ): Promise<CustomerConnection> {
    return connection(await listCustomers(ctx.em, siteId, { first, after }), same);
  }

  @Query(() => Customer, { nullable: true })
  siteCustomer(@Arg('siteId', () => ID) siteId: string, @Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<Customer | null> {
    return getCustomer(ctx.em, siteId, id);
  }

  @Mutation(() => CustomerPayload, { description: "Disabling refuses the customer's tokens at once; re-enabling does not revive them." })
  async setCustomerDisabled(
    @Arg('siteId', () => ID) siteId: string,
    @Arg('customerId', () => ID) customerId: string,
    @Arg('disabled', () => Boolean) disabled: boolean,
    @Ctx() ctx: Context,
  ): Promise<CustomerPayload> {
    return payload('customer', await setCustomerDisabled(ctx.em, ctx.deps, adminOf(ctx), { siteId, customerId, disabled }), same);
  }
}
