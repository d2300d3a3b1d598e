/**
 * `npm run bench -- --preload`: before the phases, fills the database with other sites' history, so the purchase
 * phase runs against tables that already hold a million orders: 100 sites x 10,000 orders (by default), each
 * with 2 lines, its payment attempt when paid, and its audit trail (4 to 5 transitions), all as the order
 * process would have left them. Set-based INSERT ... SELECT over generate_series, as the owner, one statement
 * per table; then VACUUM ANALYZE, so the planner and the visibility map see the data as a long-running site would.
 *
 * The states: CONFIRMED (85 %), EXPIRED carts (10 %), REFUNDED (5 %), created over the last 20 days. None is due
 * for a job (no DRAFT, PENDING_PAYMENT or PAYMENT_FAILED): the server's sweeps find nothing to do, as on a quiet
 * database, and the bench measures the hot path against big tables rather than the jobs.
 */
import { Client } from 'pg';

export interface PreloadResult {
  sites: number;
  orders: number;
  lines: number;
  attempts: number;
  auditEntries: number;
  seconds: number;
}

const STEPS: [string, string][] = [
  [
    'sites',
    `insert into sites (id, name, currency, ai_enabled, created_at)
     select gen_random_uuid(), 'Preloaded site ' || g, 'EUR', false, now() - interval '30 days' from generate_series(1, $1::int) g`,
  ],
  [
    'products',
    `insert into products (id, site_id, sku, name, price_minor, currency, created_at, stock_on_hand, stock_reserved)
     select gen_random_uuid(), s.id, 'PRE-' || lpad(g::text, 2, '0'), 'Preloaded product ' || g, 500 + (g * 731) % 4500, 'EUR', s.created_at, null, 0
       from sites s cross join generate_series(1, 20) g where s.name like 'Preloaded site %'`,
  ],
  [
    'order seeds',
    `create unlogged table preload_orders as
     select gen_random_uuid() as id, gen_random_uuid() as attempt_id, s.id as site_id, g as n,
            case when g % 20 = 0 then 'REFUNDED' when g % 10 = 5 then 'EXPIRED' else 'CONFIRMED' end as state,
            now() - interval '1 hour' - (g % 28800) * interval '1 minute' as created_at
       from sites s cross join generate_series(1, $2::int) g where s.name like 'Preloaded site %'`,
  ],
  [
    'line seeds',
    `create unlogged table preload_lines as
     select gen_random_uuid() as id, o.site_id, o.id as order_id, p.id as product_id, 1 + (o.n + k.k) % 3 as quantity, p.price_minor
       from preload_orders o cross join (values (0), (7)) k(k)
       join (select site_id, id, price_minor, (row_number() over (partition by site_id order by sku) - 1)::int as idx
               from products where name like 'Preloaded product %') p
         on p.site_id = o.site_id and p.idx = (o.n + k.k) % 20`,
  ],
  [
    'orders',
    `insert into orders (id, site_id, state, currency, cart_token_hash, total_minor, line_count, email, shipping_address,
                         billing_address, current_attempt_id, created_at, updated_at)
     select o.id, o.site_id, o.state, 'EUR', md5(o.id::text), t.total, 2,
            case when o.state <> 'EXPIRED' then 'shopper' || o.n || '@example.com' end,
            case when o.state <> 'EXPIRED' then '{"name":"Ada Lovelace","line1":"1 Analytical Way","city":"London","postalCode":"N1 9GU","country":"GB"}'::jsonb end,
            case when o.state <> 'EXPIRED' then '{"name":"Ada Lovelace","line1":"1 Analytical Way","city":"London","postalCode":"N1 9GU","country":"GB"}'::jsonb end,
            case when $3 and o.state <> 'EXPIRED' then o.attempt_id end, o.created_at, o.created_at + interval '5 minutes'
       from preload_orders o
       join (select order_id, sum(quantity * price_minor)::int as total from preload_lines group by order_id) t on t.order_id = o.id`,
  ],
  [
    'order lines',
    `insert into order_lines (id, site_id, order_id, product_id, quantity, unit_price_minor)
     select id, site_id, order_id, product_id, quantity, price_minor from preload_lines`,
  ],
  [
    'payment attempts',
    `insert into payment_attempts (id, site_id, order_id, idempotency_key, status, amount_minor, currency, intent_id, provider,
                                   refunded, refunded_minor, created_at)
     select o.attempt_id, o.site_id, o.id, 'preload-' || o.attempt_id, 'SUCCEEDED', x.total_minor, 'EUR', 'pi_pre_' || replace(o.attempt_id::text, '-', ''),
            'stripe', o.state = 'REFUNDED', case when o.state = 'REFUNDED' then x.total_minor else 0 end, o.created_at + interval '2 minutes'
       from preload_orders o join orders x on x.site_id = o.site_id and x.id = o.id
      where o.state <> 'EXPIRED'`,
  ],
  [
    // Orders and attempts name each other (both foreign keys). As a superuser the orders were written with their
    // attempt while foreign-key triggers slept (session_replication_role, consistent by construction); otherwise
    // each order learns its attempt once that exists, a slower second pass.
    'current attempts',
    `update orders x set current_attempt_id = o.attempt_id
       from preload_orders o where not $3 and x.site_id = o.site_id and x.id = o.id and o.state <> 'EXPIRED'`,
  ],
  [
    'audit entries',
    `insert into audit_log (id, site_id, at, actor, action, entity, entity_id, from_state, to_state, reason)
     select gen_random_uuid(), o.site_id, o.created_at + t.after, t.actor, t.action, 'Order', o.id::text, t.from_state, t.to_state, t.reason
       from preload_orders o
       join (values
         (1, null, 'DRAFT', 'order.createCart', 'visitor:preloaded', interval '0', null, 'any'),
         (2, 'DRAFT', 'PENDING_PAYMENT', 'order.checkout', 'visitor:preloaded', interval '2 minutes', null, 'paid'),
         (3, 'PENDING_PAYMENT', 'PAYMENT_AUTHORIZED', 'order.paymentAuthorized', 'gateway:stripe', interval '3 minutes', null, 'paid'),
         (4, 'PAYMENT_AUTHORIZED', 'CONFIRMED', 'order.confirm', 'gateway:stripe', interval '3 minutes 1 millisecond', null, 'paid'),
         (5, 'CONFIRMED', 'REFUNDED', 'order.refund', 'admin:preloaded@aegis.local', interval '1 day', 'customer asked', 'refunded'),
         (2, 'DRAFT', 'EXPIRED', 'order.expireCart', 'system:scheduler', interval '30 days', 'cart untouched', 'expired')
       ) as t(step, from_state, to_state, action, actor, after, reason, applies)
         on t.applies = 'any'
         or (t.applies = 'paid' and o.state in ('CONFIRMED', 'REFUNDED'))
         or (t.applies = 'refunded' and o.state = 'REFUNDED')
         or (t.applies = 'expired' and o.state = 'EXPIRED')`,
  ],
  ['clean up', `drop table preload_orders; drop table preload_lines`],
];

export async function preload(
  ownerUrl: string,
  opts: { sites: number; ordersPerSite: number; log: (m: string) => void },
): Promise<PreloadResult> {
  const started = performance.now();
  const c = new Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    // A bulk load: no synchronous commit wait, and enough memory to sort and hash the seeds at once.
    await c.query(`set synchronous_commit = off; set work_mem = '256MB'; set maintenance_work_mem = '512MB'`);
    const [{ rolsuper }] = (await c.query(`select rolsuper from pg_roles where rolname = current_user`)).rows;
    if (rolsuper) await c.query(`set session_replication_role = replica`);
    for (const [name, text] of STEPS) {
      const t = performance.now();
      // Our own integers, not input: written into the statement (a step may use one of them and not the other).
      const r = await c.query(
        text
          .replaceAll('$1', String(opts.sites))
          .replaceAll('$2', String(opts.ordersPerSite))
          .replaceAll('$3', String(Boolean(rolsuper))),
      );
      opts.log(`preload ${name}: ${r.rowCount ?? 0} rows in ${Math.round(performance.now() - t)} ms`);
    }
    if (rolsuper) await c.query(`set session_replication_role = origin`);
    const t = performance.now();
    await c.query(`vacuum (analyze) sites, products, orders, order_lines, payment_attempts, audit_log`);
    opts.log(`preload vacuum analyze: ${Math.round(performance.now() - t)} ms`);
    const [counts] = (
      await c.query(
        `select (select count(*) from sites)::int as sites, (select count(*) from orders)::int as orders, (select count(*) from order_lines)::int as lines,
                (select count(*) from payment_attempts)::int as attempts, (select count(*) from audit_log)::int as audit`,
      )
    ).rows;
    return {
      sites: counts.sites,
      orders: counts.orders,
      lines: counts.lines,
      attempts: counts.attempts,
      auditEntries: counts.audit,
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await c.end();
  }
}
