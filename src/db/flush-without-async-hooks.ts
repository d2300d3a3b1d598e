import { UnitOfWork } from '@mikro-orm/core';

/**
 * MikroORM's flush without its AsyncLocalStorage. UnitOfWork.commit runs every flush inside
 * `insideFlush.run(...)`, an AsyncLocalStorage that only guards against flushing from a lifecycle hook or an
 * onFlush handler (we register none: no entity hooks, no subscribers). On Node 20 the first `run` of any
 * AsyncLocalStorage turns on async hooks for every promise and async resource of the process, for good. So the
 * first admin command that flushes makes the process slower for every later request: here an awaited resolved
 * promise costs 0.16-0.19 us with the hooks off and 0.36 us with them on. In three alternating bench runs
 * against the code before, the read mix served 11-14 % more per second in every pair (bench/README.md,
 * "Fifth session").
 *
 * This commit does what MikroORM 6.6's does (one flush at a time per unit of work, later ones queued, the
 * cleanup after), without the guard. Installed once, before the ORM starts; checked by
 * test/perf/flush-without-async-hooks.test.ts, which fails if a flush runs an AsyncLocalStorage again (an upgrade
 * that changes commit must be looked at).
 */
interface UnitOfWorkInternals {
  working: boolean;
  flushQueue: (() => Promise<unknown>)[];
  doCommit(): Promise<void>;
  postCommitCleanup(): void;
}

let installed = false;

export function installFlushWithoutAsyncHooks(): void {
  if (installed) return;
  installed = true;
  (UnitOfWork.prototype as unknown as { commit(): Promise<void> }).commit = async function (this: UnitOfWorkInternals) {
    if (this.working) {
      // A flush while one runs (on the same fork) waits for it, as MikroORM's own queue does.
      return new Promise<void>((resolve, reject) => {
        this.flushQueue.push(() => this.doCommit().then(resolve, reject));
      });
    }
    try {
      this.working = true;
      await this.doCommit();
      while (this.flushQueue.length) await this.flushQueue.shift()!();
    } finally {
      this.postCommitCleanup();
      this.working = false;
    }
  };
}
