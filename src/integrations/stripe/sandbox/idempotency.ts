/** Stripe's idempotency rules for POSTs: one key, one endpoint, one set of params, one remembered answer. */
import type { Params } from './form';
import { idempotencyError, type Reply } from './replies';

interface Remembered {
  endpoint: string;
  params: string;
  reply: Reply;
}

/** JSON with object keys sorted, so parameter order does not affect idempotency comparisons. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

export class IdempotencyMemory {
  private readonly seen = new Map<string, Remembered>();

  /** Runs `execute` the first time `key` is seen; later the first answer is replayed, or refused on a mismatch. */
  run(key: string, endpoint: string, params: Params, execute: () => Reply): { reply: Reply; replayed?: boolean } {
    const seen = this.seen.get(key);
    if (!seen) {
      // Like Stripe, error outcomes of an executed endpoint (e.g. charge_already_refunded) are remembered too.
      const reply = execute();
      this.seen.set(key, { endpoint, params: canonical(params), reply });
      return { reply };
    }
    if (seen.endpoint !== endpoint) {
      return {
        reply: idempotencyError(
          `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${seen.endpoint}' vs '${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      };
    }
    if (seen.params !== canonical(params)) {
      return {
        reply: idempotencyError(
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
      };
    }
    return { reply: seen.reply, replayed: true };
  }

  clear(): void {
    this.seen.clear();
  }
}
