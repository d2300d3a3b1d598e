import type { ApolloServerPlugin, BaseContext, GraphQLRequestListener } from '@apollo/server';
import { getNullableType, GraphQLError, isListType, isObjectType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { getComplexity, type ComplexityEstimator } from 'graphql-query-complexity';
import { FIELD_WEIGHTS, INTROSPECTION_LIST_SIZE, LIST_SIZES, MAX_COST, PAGED } from './cost-table';

/*
 * Why graphql-query-complexity: graphql-armor's costLimit counts a list as one item, whatever its size. This library
 * (slicknode's, maintained, graphql 16 and 17) walks the operation with its variables, fragments and @skip/@include,
 * and leaves each field's cost to our estimator, so the cost below multiplies by what a list can hold.
 */

/** Never used once assertListsSized passed at start; an unsized list still costs like a full page. */
const PAGE_FALLBACK = 100;

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(n, max));

const sizeOf = (typeName: string, fieldName: string): number | undefined =>
  LIST_SIZES[`${typeName}.${fieldName}`] ??
  LIST_SIZES[`*.${fieldName}`] ??
  (typeName.startsWith('__') ? INTROSPECTION_LIST_SIZE : undefined);

/** A field costs its weight (1, more for large text) plus its children's cost times the items its list can hold. */
export const estimateCost: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  // The introspection query itself, as armor counted it (production refuses introspection).
  if (field.name === '__schema') return 0;
  const key = `${type.name}.${field.name}`;
  const own = FIELD_WEIGHTS[key] ?? 1;
  const page = PAGED[key];
  if (page) return own + childComplexity * clamp(typeof args.first === 'number' ? args.first : page.default, 1, page.max);
  if (!isListType(getNullableType(field.type))) return own + childComplexity;
  // A list of scalars costs 1 per item.
  return own + (sizeOf(type.name, field.name) ?? PAGE_FALLBACK) * (childComplexity || 1);
};

/** Fails the start when a list field has neither a `first` bound nor an assumed size in cost-table.ts. */
export function assertListsSized(schema: GraphQLSchema): void {
  const unsized: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const key = `${type.name}.${field.name}`;
      if (isListType(getNullableType(field.type)) && !PAGED[key] && sizeOf(type.name, field.name) === undefined) unsized.push(key);
      if (field.args.some((a) => a.name === 'first') && !PAGED[key]) unsized.push(`${key}(first)`);
    }
  }
  if (unsized.length) throw new Error(`list fields without a size in src/graphql-limits/cost-table.ts: ${unsized.join(', ')}`);
}

/** The operation's cost; fragments are walked at each spread, bounded by the library's 10,000 nodes (it throws past them). */
export function queryCost(schema: GraphQLSchema, query: DocumentNode, variables?: Record<string, unknown>, operationName?: string): number {
  return getComplexity({ schema, query, variables, operationName, estimators: [estimateCost] });
}

const tooCostly = (found: number | null) =>
  new GraphQLError(
    found === null
      ? `Query Cost limit of ${MAX_COST} exceeded: too many fields to count.`
      : `Query Cost limit of ${MAX_COST} exceeded, found ${found}: ask for fewer items (first) or fewer fields.`,
    // Like the other limits (graphql-armor's rules): a validation failure, HTTP 400, before anything runs.
    { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
  );

/**
 * The cost limit, once the operation is known and before it runs. A plugin rather than a validation rule: the cost
 * depends on the variables (`first: $n`), and Apollo validates a document once and caches it.
 */
export function queryCostLimit<C extends BaseContext>(): ApolloServerPlugin<C> {
  const listener: GraphQLRequestListener<C> = {
    async didResolveOperation({ schema, document, request, operationName }) {
      let cost: number;
      try {
        cost = queryCost(schema, document, request.variables, operationName ?? undefined);
      } catch (err) {
        if (err instanceof GraphQLError && /maximum allowed number of nodes/.test(err.message)) throw tooCostly(null);
        // Variables that do not fit the operation: execution refuses them as BAD_USER_INPUT, running nothing.
        return;
      }
      if (cost > MAX_COST) throw tooCostly(cost);
    },
  };
  return { requestDidStart: async () => listener };
}
