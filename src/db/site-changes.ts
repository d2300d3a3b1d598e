import { Client } from 'pg';
import { isUuid } from '../domain/ids';
import type { SiteChanges } from '../domain/site/ai-switch';
import type { Logger } from '../logger';

/** The channel Migration20261206000000_site_changes announces every committed change of a site row on. */
export const SITE_CHANGES_CHANNEL = 'aegis_site_changes';

export interface SiteChangesOptions {
  /** The request role's URL: LISTEN needs no grant. */
  url: string;
  log: Logger;
  /** Wait before connecting again after the connection is lost or refused (1 s). */
  retryMs?: number;
}

/**
 * The change feed: one connection of its own, held open, LISTENing on the channel. `live` is true only from the
 * moment the LISTEN is acknowledged until the connection is lost, and each of those moments is passed on as "may
 * have missed changes" (null), so what was remembered is forgotten. While it is not live the caches it serves read
 * the database every time; it keeps trying to connect again. A plain `pg` client: LISTEN needs a session of its own,
 * which a pool would hand out and take back (behind a transaction-mode pooler the feed never goes live, and every
 * read goes to the database: slower, never stale).
 */
export class PostgresSiteChanges implements SiteChanges {
  live = false;
  private client: Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;
  /** Said once when the feed goes down (or never comes up), and once when it is back. */
  private down = false;
  private readonly listeners: ((siteId: string | null) => void)[] = [];
  /** Connections already given up: a lost connection reports both `error` and `end`. */
  private readonly gone = new WeakSet<Client>();

  constructor(private readonly opts: SiteChangesOptions) {}

  onChange(listener: (siteId: string | null) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves once listening, or once the first try failed (reads then go to the database until a retry succeeds). */
  start(): Promise<void> {
    return this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.drop();
    if (client) await client.end().catch(() => undefined);
  }

  private emit(siteId: string | null): void {
    for (const listener of this.listeners) listener(siteId);
  }

  private async connect(): Promise<void> {
    this.retry = null;
    const client = new Client({ connectionString: this.opts.url, application_name: 'aegis-site-changes', connectionTimeoutMillis: 5000 });
    client.on('notification', (msg) => {
      if (msg.channel !== SITE_CHANGES_CHANNEL || this.client !== client) return;
      // Anything but a site id is read as "something changed": forgetting everything is always safe.
      this.emit(msg.payload && isUuid(msg.payload) ? msg.payload : null);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${SITE_CHANGES_CHANNEL}`);
    } catch (err) {
      this.lost(client, err as Error);
      return;
    }
    if (this.closed || this.gone.has(client)) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.live = true;
    this.emit(null);
    if (this.down)
      this.opts.log.info({ channel: SITE_CHANGES_CHANNEL }, 'site change feed back: the AI switch is answered from memory again');
    this.down = false;
  }

  private drop(): void {
    const wasLive = this.live;
    this.client = null;
    this.live = false;
    if (wasLive) this.emit(null);
  }

  private lost(client: Client, err?: Error): void {
    if (this.gone.has(client)) return;
    this.gone.add(client);
    if (this.client === client) this.drop();
    void client.end().catch(() => undefined);
    if (this.closed) return;
    // Said once per loss, not on every failed retry while PostgreSQL is away.
    if (!this.down)
      this.opts.log.warn(
        { reason: err?.message ?? 'connection ended' },
        'site change feed down: the AI switch reads the database until it is back',
      );
    this.down = true;
    this.retry ??= setTimeout(() => void this.connect(), this.opts.retryMs ?? 1000).unref();
  }
}
