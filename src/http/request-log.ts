import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Context } from '../context';
import { isUuid } from '../domain/tx';
import { requestLogContext } from '../logger';

/** The `siteId` argument of the first root field that has one (a variable or a literal); looks no deeper. */
function siteIdOf(operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined): string | undefined {
  for (const field of operation.selectionSet.selections) {
    if (field.kind !== Kind.FIELD) continue;
    const arg = field.arguments?.find((a) => a.name.value === 'siteId')?.value;
    const value = arg?.kind === Kind.VARIABLE ? variables?.[arg.name.value] : arg?.kind === Kind.STRING ? arg.value : undefined;
    // Only an id is logged: anything else is the caller's text, of any length, and names no site.
    if (typeof value === 'string' && isUuid(value)) return value;
  }
  return undefined;
}

/**
 * One log line per GraphQL operation: at `debug` when it went well, at `warn` when it answered GraphQL errors
 * (refused credentials, limits, bugs) — so an operator can follow a request by its id without logging every
 * success in production. Domain refusals (userErrors) are data, not errors, and are not logged here.
 * The request logger (its id and actor) also gets the operation's site, for this line and the domain's.
 */
export function requestLog(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async didResolveOperation({ operation, request }) {
          const context = requestLogContext(contextValue.deps.log);
          const siteId = operation && siteIdOf(operation, request.variables);
          if (context && siteId) context.siteId = siteId;
        },
        async willSendResponse({ operationName, errors }) {
          const fields = { operation: operationName ?? null, ms: Math.round(performance.now() - started) };
          if (errors?.length) {
            contextValue.deps.log.warn(
              { ...fields, errors: errors.map((e) => e.extensions?.code ?? e.message) },
              'graphql operation answered errors',
            );
          } else {
            contextValue.deps.log.debug(fields, 'graphql operation');
          }
        },
      };
    },
  };
}
