import type { EntityManager } from '@mikro-orm/postgresql';
import { readInSite } from '../tx';

/** How far back the dashboard may look: the chart's days and the cost table's bound on `SiteStats.days`. */
export const MAX_STATS_DAYS = 90;

export interface SiteStatsView {
  siteId: string;
  currency: string;
  from: Date;
  days: { date: string; orders: number; revenueMinor: number }[];
  paymentFailures: number;
  needsRefund: number;
  disputes: number;
  openDisputes: number;
}

const DAY_MS = 24 * 3600 * 1000;
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The admin dashboard's figures for one site, in one read-only transaction of two statements. A day's orders are
 * the orders confirmed that UTC day (the CONFIRMED entry of their history, so a later refund does not move them),
 * its revenue their totals; payment failures are the attempts declined at the gateway since `from`;
 * needsRefund and disputes count what is open now, whatever its age.
 */
export async function siteStats(em: EntityManager, siteId: string, now: Date, days: number): Promise<SiteStatsView | null> {
  const span = Math.max(1, Math.min(days, MAX_STATS_DAYS));
  const from = new Date(Date.parse(utcDay(now)) - (span - 1) * DAY_MS);
  return readInSite(em, siteId, async (tx) => {
    const [totals] = await tx.execute<
      { currency: string | null; failures: number; needs_refund: number; disputes: number; open_disputes: number }[]
    >(
      `select (select currency from sites where id = ?) as currency,
              count(*) filter (where status = 'FAILED' and created_at >= ?)::int as failures,
              count(distinct order_id) filter (where needs_refund)::int as needs_refund,
              count(*) filter (where dispute_id is not null)::int as disputes,
              count(*) filter (where dispute_id is not null and not dispute_closed)::int as open_disputes
         from payment_attempts where site_id = ?`,
      [siteId, from, siteId],
    );
    if (totals.currency === null) return null;
    const rows = await tx.execute<{ day: string; orders: number; revenue: string }[]>(
      `select to_char(a.at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*)::int as orders, coalesce(sum(o.total_minor), 0) as revenue
         from audit_log a join orders o on o.site_id = a.site_id and o.id::text = a.entity_id
        where a.site_id = ? and a.entity = 'Order' and a.to_state = 'CONFIRMED' and a.at >= ?
        group by 1`,
      [siteId, from],
    );
    const byDay = new Map(rows.map((r) => [r.day, r]));
    return {
      siteId,
      currency: totals.currency,
      from,
      days: Array.from({ length: span }, (_, i) => {
        const date = utcDay(new Date(from.getTime() + i * DAY_MS));
        const row = byDay.get(date);
        return { date, orders: row?.orders ?? 0, revenueMinor: Number(row?.revenue ?? 0) };
      }),
      paymentFailures: totals.failures,
      needsRefund: totals.needs_refund,
      disputes: totals.disputes,
      openDisputes: totals.open_disputes,
    };
  });
}
