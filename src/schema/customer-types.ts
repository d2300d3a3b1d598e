import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Order, PageInfo, UserError } from './types';

@ObjectType({ description: 'A saved address of a customer; setCheckoutDetails may take it by id.' })
export class CustomerAddress {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String) postalCode!: string;
  @Field(() => String) country!: string;
  @Field(() => Date) createdAt!: Date;
}

@ObjectType({ description: 'A customer account of one site. Never carries a password hash.' })
export class Customer {
  @Field(() => ID) id!: string;
  @Field(() => ID) siteId!: string;
  @Field(() => String) email!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Boolean, { description: 'A disabled customer cannot sign in, and its tokens are refused.' }) disabled!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => [CustomerAddress], { description: 'Oldest first; at most 20.' }) addresses!: CustomerAddress[];
}

@ObjectType()
export class CustomerEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Customer) node!: Customer;
}

@ObjectType()
export class CustomerConnection {
  @Field(() => [CustomerEdge]) edges!: CustomerEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class CustomerSignUpInput {
  @Field(() => String) email!: string;
  @Field(() => String, { description: '12 to 200 characters.' }) password!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
}

@InputType()
export class UpdateCustomerProfileInput {
  @Field(() => String, { nullable: true, description: 'Empty or null clears it.' }) name?: string | null;
}

@ObjectType({
  description:
    'Alike for a known and an unknown email: the account (or a mail to the owner of the address) is made, and the customer then logs in.',
})
export class CustomerSignUpPayload {
  @Field(() => Boolean) accepted!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class CustomerLoginPayload {
  @Field(() => String, { nullable: true, description: 'Bearer token of the customer, for this site only.' }) token?: string | null;
  @Field(() => Customer, { nullable: true }) customer?: Customer | null;
  @Field(() => Order, {
    nullable: true,
    description: "With the guest's X-Cart-Token: the customer's cart once the guest cart is taken over; else null.",
  })
  cart?: Order | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class CustomerPayload {
  @Field(() => Customer, { nullable: true }) customer?: Customer | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class CustomerAddressPayload {
  @Field(() => CustomerAddress, { nullable: true }) address?: CustomerAddress | null;
  @Field(() => Customer, { nullable: true }) customer?: Customer | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'requestPasswordReset: alike whatever the email. resetPassword: the code is spent.' })
export class PasswordResetPayload {
  @Field(() => Boolean) accepted!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}
