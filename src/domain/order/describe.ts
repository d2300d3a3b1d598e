import { isMove, NONE, SAME } from '../machine';
import { ORDER_EVENTS, ORDER_TABLE } from './process';

/**
 * The order process as a Markdown table, for the README (between its `order-process` markers; a test keeps the
 * two equal, and `npm run docs:states` rewrites it). Generated, so the documentation cannot drift from the table.
 */
export function describeOrderProcess(): string {
  const lines = ['| event | from | to | by | guards | records | effects |', '|---|---|---|---|---|---|---|'];
  const code = (names: readonly string[] | undefined) => (names?.length ? names.map((n) => `\`${n}\``).join(', ') : '—');
  for (const event of ORDER_EVENTS) {
    for (const row of ORDER_TABLE[event]) {
      const from = row.from.map((s) => (s === NONE ? '—' : s)).join(', ');
      const guards = code(row.guards?.map((g) => g.name));
      if (!isMove(row)) {
        lines.push(`| \`${event}\` | ${from} | refused \`${row.refuse.code}\` | ${row.actors.join(', ')} | ${guards} | — | — |`);
        continue;
      }
      const to = row.to === SAME ? 'same (no history entry)' : row.to + (row.then ? `, then \`${row.then}\`` : '');
      const effects = row.effects?.length ? row.effects.map((e) => `\`${e.name}\` (${e.when})`).join(', ') : '—';
      lines.push(`| \`${event}\` | ${from} | ${to} | ${row.actors.join(', ')} | ${guards} | ${code(row.before)} | ${effects} |`);
    }
  }
  return lines.join('\n');
}
