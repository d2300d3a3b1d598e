// siteStats: orders and revenue per UTC day over the last 30 days (a chart, and the same figures as a table for
// screen readers), and the counts that need an admin: payment failures, orders needing a refund, disputes.
import { BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, Tooltip } from 'chart.js';
import { Bar } from 'react-chartjs-2';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { SiteStatsDocument } from '../../../../clients/generated/graphql';
import { money } from '../../../shared/money';
import { Loading, NoAccess } from '../components';
import { isForbidden } from '../errors';
import { useSite } from '../Layout';

// Only what a bar chart with a legend and tooltips needs (react-chartjs-2's <Bar> registers its controller).
ChartJS.register(CategoryScale, LinearScale, BarElement, Tooltip, Legend);

const DAYS = 30;

export function DashboardPage() {
  const site = useSite();
  const [r] = useQuery({ query: SiteStatsDocument, variables: { siteId: site.id, days: DAYS } });
  const stats = r.data?.siteStats;
  if (!stats) {
    if (r.fetching || (r.error && !isForbidden(r.error))) return <Loading fetching={r.fetching} error={r.error} />;
    return <NoAccess what="site" />;
  }
  // Minor units to the currency's major unit (2 decimals for EUR, 0 for JPY).
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency: stats.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const major = (minor: number) => minor / 10 ** digits;
  const totalOrders = stats.days.reduce((n, d) => n + d.orders, 0);
  const totalRevenue = stats.days.reduce((n, d) => n + d.revenueMinor, 0);
  const summary = `Orders and revenue per day over the last ${DAYS} days: ${totalOrders} orders, ${money(totalRevenue, stats.currency)} in total. The same figures are in the table below.`;
  return (
    <>
      <h1>{site.name}</h1>
      <div className="cards">
        <Stat label={`Orders (${DAYS} days)`} value={String(totalOrders)} />
        <Stat label={`Revenue (${DAYS} days)`} value={money(totalRevenue, stats.currency)} />
        <Stat
          label="Payment failures"
          value={String(stats.paymentFailures)}
          to={`/sites/${site.id}/orders?state=PAYMENT_FAILED`}
          warn={stats.paymentFailures > 0}
        />
        <Stat label="Orders needing a refund" value={String(stats.needsRefund)} warn={stats.needsRefund > 0} />
        <Stat label="Disputes" value={`${stats.disputes}`} note={`${stats.openDisputes} open`} warn={stats.openDisputes > 0} />
      </div>
      <section className="card">
        <h2 id="chart-title">Orders and revenue per day</h2>
        <div className="chart">
          <Bar
            role="img"
            aria-label={summary}
            data={{
              labels: stats.days.map((d) => d.date.slice(5)),
              datasets: [
                { label: 'Orders', data: stats.days.map((d) => d.orders), backgroundColor: '#0b5cad', yAxisID: 'orders' },
                {
                  label: `Revenue (${stats.currency})`,
                  data: stats.days.map((d) => major(d.revenueMinor)),
                  backgroundColor: '#1a7f37',
                  yAxisID: 'revenue',
                },
              ],
            }}
            options={{
              responsive: true,
              maintainAspectRatio: false,
              animation: false,
              scales: {
                orders: {
                  type: 'linear',
                  position: 'left',
                  beginAtZero: true,
                  ticks: { precision: 0 },
                  title: { display: true, text: 'Orders' },
                },
                revenue: {
                  type: 'linear',
                  position: 'right',
                  beginAtZero: true,
                  grid: { drawOnChartArea: false },
                  title: { display: true, text: stats.currency },
                },
              },
            }}
          />
        </div>
        <table className="visually-hidden" aria-labelledby="chart-title">
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col">Orders</th>
              <th scope="col">Revenue</th>
            </tr>
          </thead>
          <tbody>
            {stats.days.map((d) => (
              <tr key={d.date}>
                <td>{d.date}</td>
                <td>{d.orders}</td>
                <td>{money(d.revenueMinor, stats.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}

function Stat({ label, value, note, to, warn }: { label: string; value: string; note?: string; to?: string; warn?: boolean }) {
  return (
    <div className={`card${warn ? ' attention' : ''}`}>
      <div className="muted">{label}</div>
      <div className="stat">{to ? <Link to={to}>{value}</Link> : value}</div>
      {note && <div className="muted">{note}</div>}
    </div>
  );
}
