import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';
import type { AegisMetrics } from '../metrics/registry';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The operation label, its cardinality bounded: a long or malformed name (from a client) is `invalid`. */
const operationLabel = (name: string | null | undefined) => (!name ? 'anonymous' : name.length > 64 || !NAME.test(name) ? 'invalid' : name);

/** One observation per GraphQL operation, with nothing done per field. */
export function operationMetrics(metrics: AegisMetrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, request, operation, errors }) {
          metrics.graphqlDuration.observe(
            {
              operation: operationLabel(operationName ?? request.operationName),
              type: operation?.operation ?? 'unknown',
              outcome: errors?.length ? 'errors' : 'ok',
            },
            (performance.now() - started) / 1000,
          );
        },
      };
    },
  };
}
