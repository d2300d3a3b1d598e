import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

/**
 * One log line per GraphQL operation: at `debug` when it went well, at `warn` when it answered GraphQL errors
 * (refused credentials, limits, bugs) — so an operator can follow a request by its id without logging every
 * success in production. Domain refusals (userErrors) are data, not errors, and are not logged here.
 */
export function requestLog(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, errors, contextValue: ctx }) {
          const fields = {
            requestId: ctx.requestId,
            operation: operationName ?? null,
            ms: Math.round(performance.now() - started),
            caller: ctx.admin ? `admin:${ctx.admin.email}` : ctx.visitor ? 'visitor' : 'anonymous',
          };
          if (errors?.length) {
            contextValue.deps.log.warn({ ...fields, errors: errors.map((e) => e.extensions?.code ?? e.message) }, 'graphql operation answered errors');
          } else {
            contextValue.deps.log.debug(fields, 'graphql operation');
          }
        },
      };
    },
  };
}
