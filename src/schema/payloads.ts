import { Field, ObjectType } from 'type-graphql';
import { Admin, ContentItem, Order, PaymentSession, Product, Site, Suggestion, UserError } from './types';

@ObjectType()
export class AdminLoginPayload {
  @Field(() => String, { nullable: true }) token?: string | null;
  @Field(() => Admin, { nullable: true }) admin?: Admin | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class SitePayload {
  @Field(() => Site, { nullable: true }) site?: Site | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class AdminPayload {
  @Field(() => Admin, { nullable: true }) admin?: Admin | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType({ description: 'The calling admin, whose earlier tokens are all refused from now on.' })
export class AdminLogoutAllPayload {
  @Field(() => Admin, { nullable: true }) admin?: Admin | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class ProductPayload {
  @Field(() => Product, { nullable: true }) product?: Product | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class CreateCartPayload {
  @Field(() => String, { nullable: true }) cartToken?: string | null;
  @Field(() => Order, { nullable: true }) order?: Order | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class OrderPayload {
  @Field(() => Order, { nullable: true }) order?: Order | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class CheckoutPayload {
  @Field(() => Order, { nullable: true }) order?: Order | null;
  @Field(() => PaymentSession, { nullable: true }) paymentSession?: PaymentSession | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class ContentItemPayload {
  @Field(() => ContentItem, { nullable: true }) contentItem?: ContentItem | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class SuggestionPayload {
  @Field(() => Suggestion, { nullable: true }) suggestion?: Suggestion | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
