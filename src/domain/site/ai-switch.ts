import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../ids';

/**
 * What the process hears of committed changes to sites (the port; src/db/site-changes.ts listens in PostgreSQL).
 */
export interface SiteChanges {
  /** True while every committed change reaches this process: the feed is connected and listening. */
  readonly live: boolean;
  /** Called with the site that changed, or with null when changes may have been missed (the feed dropped or came back). */
  onChange(listener: (siteId: string | null) => void): void;
}

/**
 * The seed's Config Service for the per-site AI kill switch: the API gate asks it on every requestSuggestion, so
 * a disabled site is refused from memory, with no round trip ("zero latency cost"). What it remembers holds only
 * while the change feed is live: every toggle's commit is announced to every process, which forgets that site; a
 * dropped feed forgets everything and sends every question to the database until it listens again. The one window
 * left is the feed's delivery (a commit in another process is heard a millisecond or so later), the same as for a
 * request that read the flag just before the commit. An enabled answer is never acted on alone: the advisory flow
 * reads the flag again in its own transaction before it calls the provider and before it stores anything.
 */
export class AiSwitch {
  private readonly known = new Map<string, boolean>();
  /** Moves on every change heard: a read that began before a change must not store what it read. */
  private epoch = 0;

  constructor(private readonly changes: SiteChanges) {
    changes.onChange((siteId) => {
      this.epoch++;
      if (siteId === null) this.known.clear();
      else this.known.delete(siteId);
    });
  }

  /** Whether AI is enabled for the site; null when there is no such site (never remembered: it may be created). */
  async enabledOf(em: EntityManager, siteId: string): Promise<boolean | null> {
    if (this.changes.live) {
      const known = this.known.get(siteId);
      if (known !== undefined) return known;
    }
    if (!isUuid(siteId)) return null;
    const epoch = this.epoch;
    // One statement on its own (sites has no row-level security; nothing else is read): no transaction around it.
    const [row] = await em.execute<{ ai_enabled: boolean }[]>(`select ai_enabled from sites where id = ?`, [siteId]);
    if (!row) return null;
    if (this.changes.live && epoch === this.epoch) this.known.set(siteId, row.ai_enabled);
    return row.ai_enabled;
  }

  /** This process's own toggle, after its commit: its next request sees it even before the announcement arrives. */
  forget(siteId: string): void {
    this.epoch++;
    this.known.delete(siteId);
  }
}
