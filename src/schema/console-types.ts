import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Admin, PageInfo, Site } from './types';

// The admin console's additions: its dashboard figures and the lists behind its site switcher and admin pages.

@ObjectType()
export class SiteStatsDay {
  @Field(() => String, { description: 'The UTC day, YYYY-MM-DD.' }) date!: string;
  @Field(() => Int, { description: 'Orders confirmed that day.' }) orders!: number;
  @Field(() => Int, { description: "The totals of that day's confirmed orders, in the site's currency (refunds later do not move them)." })
  revenueMinor!: number;
}

@ObjectType({ description: "One site's dashboard: confirmed orders and revenue per day, and what needs an admin's attention." })
export class SiteStats {
  @Field(() => ID) siteId!: string;
  @Field(() => String) currency!: string;
  @Field(() => Date, { description: 'The start (UTC midnight) of the first day in `days`.' }) from!: Date;
  @Field(() => [SiteStatsDay], { description: 'One entry per day, oldest first, today last; days without orders count 0.' })
  days!: SiteStatsDay[];
  @Field(() => Int, { description: 'Payment attempts declined at the gateway since `from`.' }) paymentFailures!: number;
  @Field(() => Int, { description: 'Orders with money taken that Aegis could not honour (needsRefund), now.' }) needsRefund!: number;
  @Field(() => Int, { description: 'Payments ever disputed at the gateway (chargebacks).' }) disputes!: number;
  @Field(() => Int, { description: 'Disputes not yet closed.' }) openDisputes!: number;
}

@ObjectType()
export class SiteEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Site) node!: Site;
}

@ObjectType()
export class SiteConnection {
  @Field(() => [SiteEdge]) edges!: SiteEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@ObjectType()
export class AdminEdge {
  @Field(() => String) cursor!: string;
  @Field(() => Admin) node!: Admin;
}

@ObjectType()
export class AdminConnection {
  @Field(() => [AdminEdge]) edges!: AdminEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}
