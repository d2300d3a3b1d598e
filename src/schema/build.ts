import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { ContentResolver } from '../resolvers/content';
import { OrderFieldsResolver } from '../resolvers/order-fields';
import { PlatformResolver } from '../resolvers/platform';
import { SiteAdminResolver } from '../resolvers/site-admin';
import { StorefrontResolver } from '../resolvers/storefront';

export const resolvers = [StorefrontResolver, OrderFieldsResolver, SiteAdminResolver, PlatformResolver, ContentResolver] as const;

let built: GraphQLSchema | undefined;

/** The code-first schema, built once per process. Arguments are validated by the domain, not by class-validator. */
export function buildGraphQLSchema(): GraphQLSchema {
  built ??= buildSchemaSync({ resolvers, validate: false });
  return built;
}

/** The SDL committed as src/schema/schema.graphql (sorted, so diffs stay small). */
export const printedSchema = (): string => printSchema(lexicographicSortSchema(buildGraphQLSchema())) + '\n';
