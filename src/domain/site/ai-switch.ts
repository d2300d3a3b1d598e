import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../ids';

/** The site's flag, read from the database (never the identity map); null when there is no such site. */
export async function aiEnabledOf(em: EntityManager, siteId: string): Promise<boolean | null> {
  // A plain SELECT: the kill switch is read on every request it cannot answer from memory, and an ORM find costs
  // about 1 ms of CPU more.
  const [site] = await em.execute<{ ai_enabled: boolean }[]>(`select ai_enabled from sites where id = ?`, [siteId]);
  return site ? site.ai_enabled : null;
}

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
    changes.onChange((siteId) => (siteId === null ? this.forgetAll() : this.forget(siteId)));
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
    const enabled = await aiEnabledOf(em, siteId);
    if (enabled !== null && this.changes.live && epoch === this.epoch) this.known.set(siteId, enabled);
    return enabled;
  }

  /** This process's own toggle, after its commit: its next request sees it even before the announcement arrives. */
  forget(siteId: string): void {
    this.epoch++;
    this.known.delete(siteId);
  }

  /** The feed may have missed changes (it dropped, or came back): nothing remembered holds. */
  private forgetAll(): void {
    this.epoch++;
    this.known.clear();
  }
}
