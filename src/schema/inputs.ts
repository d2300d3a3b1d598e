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

/** Each address once: typed in, or (a signed-in customer) a saved address by id; both or neither is VALIDATION. */
@InputType()
export class CheckoutDetailsInput {
  @Field(() => String) email!: string;
  @Field(() => AddressInput, { nullable: true }) shippingAddress?: AddressInput | null;
  @Field(() => AddressInput, { nullable: true }) billingAddress?: AddressInput | null;
  @Field(() => ID, { nullable: true, description: "One of the signed-in customer's saved addresses, instead of shippingAddress." })
  shippingAddressId?: string | null;
  @Field(() => ID, { nullable: true, description: "One of the signed-in customer's saved addresses, instead of billingAddress." })
  billingAddressId?: string | null;
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

@InputType({ description: 'What to change of a product; an omitted field stays as it is.' })
export class UpdateProductInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Int, { nullable: true }) priceMinor?: number | null;
}

@InputType()
export class CreateContentItemInput {
  @Field(() => String) slug!: string;
  @Field(() => String) title!: string;
  @Field(() => String) body!: string;
}
