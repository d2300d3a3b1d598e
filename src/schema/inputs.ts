import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class AddressInput {
  @Field(() => String) name!: string;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String) postalCode!: string;
  @Field(() => String) country!: string;
}

@InputType()
export class CheckoutDetailsInput {
  @Field(() => String) email!: string;
  @Field(() => AddressInput) shippingAddress!: AddressInput;
  @Field(() => AddressInput) billingAddress!: AddressInput;
}

@InputType()
export class CreateSiteInput {
  @Field(() => String) name!: string;
  @Field(() => String) currency!: string;
}

@InputType()
export class CreateSiteAdminInput {
  @Field(() => String) email!: string;
  @Field(() => String) password!: string;
  @Field(() => [ID]) siteIds!: string[];
}

@InputType()
export class CreateProductInput {
  @Field(() => String) sku!: string;
  @Field(() => String) name!: string;
  @Field(() => Int) priceMinor!: number;
}

@InputType()
export class CreateContentItemInput {
  @Field(() => String) slug!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
}
