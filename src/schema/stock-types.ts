import { Field, ID, Int, ObjectType } from 'type-graphql';
import { StockMovementKind } from './enums';
import { PageInfo } from './types';

@ObjectType({ description: "One row of the append-only stock ledger: its deltas sum to the product's onHand and reserved." })
export class StockMovement {
  @Field(() => ID) id!: string;
  @Field(() => StockMovementKind) kind!: StockMovementKind;
  @Field(() => ID, { nullable: true, description: 'The order that reserved, bought or returned the units.' }) orderId!: string | null;
  @Field(() => Int) onHandDelta!: number;
  @Field(() => Int) reservedDelta!: number;
  @Field(() => String, { nullable: true }) reason!: string | null;
  @Field(() => String) actor!: string;
  @Field(() => Date) at!: Date;
}

@ObjectType()
export class StockMovementEdge {
  @Field(() => String) cursor!: string;
  @Field(() => StockMovement) node!: StockMovement;
}

@ObjectType()
export class StockMovementConnection {
  @Field(() => [StockMovementEdge]) edges!: StockMovementEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
