import type { Clock } from '../domain/clock';
import type { Logger } from '../logger';

/** What an operator is told about. Every kind is also logged, with its fields, where it happens. */
export type AlertKind =
  | 'payment_failed'
  | 'webhook_signature_rejected'
  | 'needs_refund'
  | 'amount_mismatch'
  | 'dispute'
  | 'refund_refused'
  | 'cancel_refused'
  | 'reconciliation_failed'
  | 'job_failed'
  | 'ai_unavailable';

export interface Alert {
  kind: AlertKind;
  message: string;
  /** Structured facts: site, order, attempt, reason, ... */
  fields: Record<string, unknown>;
}

/** An alert as delivered: `suppressed` counts the alerts of its kind dropped by the rate limit since the last one sent. */
export interface DeliveredAlert extends Alert {
  at: string;
  suppressed: number;
}

/** Where alerts go: a log line, an HTTP endpoint, ... */
export type AlertSink = (alert: DeliveredAlert) => Promise<void>;

/** The domain's port: raising never throws and never waits for delivery. */
export interface Alerts {
  raise(alert: Alert): void;
}

export interface RateLimit {
  max: number;
  windowMs: number;
}

/** One pluggable notifier: rate-limited per kind (a fixed window), so a burst does not flood the sinks. */
export class Notifier implements Alerts {
  private readonly windows = new Map<AlertKind, { start: number; sent: number; suppressed: number }>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly sinks: AlertSink[],
    private readonly limit: RateLimit,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Told of every alert raised, delivered or suppressed (the alert counter). */
    private readonly counted: (kind: AlertKind) => void = () => undefined,
  ) {}

  raise(alert: Alert): void {
    this.counted(alert.kind);
    const now = this.clock.now();
    let w = this.windows.get(alert.kind);
    if (!w || now.getTime() - w.start >= this.limit.windowMs) {
      w = { start: now.getTime(), sent: 0, suppressed: w?.suppressed ?? 0 };
      this.windows.set(alert.kind, w);
    }
    if (w.sent >= this.limit.max) {
      w.suppressed += 1;
      return;
    }
    w.sent += 1;
    const delivered: DeliveredAlert = { ...alert, at: now.toISOString(), suppressed: w.suppressed };
    w.suppressed = 0;
    for (const sink of this.sinks) {
      const p = sink(delivered).catch((err) => this.log.error({ err, alert: alert.kind }, 'alert delivery failed'));
      this.inFlight.add(p);
      void p.finally(() => this.inFlight.delete(p));
    }
  }

  /** Waits for deliveries under way (at shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }
}

/** The default sink: one line at `error`. */
export const logSink =
  (log: Logger): AlertSink =>
  async ({ kind, message, fields, at, suppressed }) => {
    log.error({ ...fields, alert: kind, alertedAt: at, suppressed }, `ALERT ${kind}: ${message}`);
  };

/** POSTs the alert as JSON to ALERT_WEBHOOK_URL. */
export const httpSink =
  (url: string, timeoutMs = 5000): AlertSink =>
  async (alert) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`alert webhook answered ${res.status}`);
  };

/** The log line always; the webhook too when configured. */
export function createNotifier(opts: {
  webhookUrl?: string;
  limit: RateLimit;
  clock: Clock;
  log: Logger;
  count?: (kind: AlertKind) => void;
}): Notifier {
  const sinks = [logSink(opts.log), ...(opts.webhookUrl ? [httpSink(opts.webhookUrl)] : [])];
  return new Notifier(sinks, opts.limit, opts.clock, opts.log, opts.count);
}
