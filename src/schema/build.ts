import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AdminCustomersResolver } from '../resolvers/admin-customers';
import { ContentResolver } from '../resolvers/content';
import { CustomerResolver } from '../resolvers/customer';
import { OrderFieldsResolver } from '../resolvers/order-fields';
import { PlatformResolver } from '../resolvers/platform';
import { SiteAdminResolver } from '../resolvers/site-admin';
import { StockResolver } from '../resolvers/stock';
import { StorefrontResolver } from '../resolvers/storefront';

export const resolvers = [
  StorefrontResolver,
  OrderFieldsResolver,
  SiteAdminResolver,
  PlatformResolver,
  ContentResolver,
  CustomerResolver,
  AdminCustomersResolver,
  StockResolver,
] as const;

let built: GraphQLSchema | undefined;

/** The code-first schema, built once per process. Arguments are validated by the domain, not by class-validator. */
export function buildGraphQLSchema(): GraphQLSchema {
  built ??= buildSchemaSync({ resolvers, validate: false });
  return built;
}

/** The SDL committed as src/schema/schema.graphql (sorted, so diffs stay small). */
export const printedSchema = (): string => printSchema(lexicographicSortSchema(buildGraphQLSchema())) + '\n';
