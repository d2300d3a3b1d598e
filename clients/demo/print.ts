/** What the demo prints: one line per step, and an order's history as a small table. */
export const step = (n: number, text: string) => process.stdout.write(`\n${n}. ${text}\n`);
export const done = (text: string) => process.stdout.write(`   ✓ ${text}\n`);
export const note = (text: string) => process.stdout.write(`   · ${text}\n`);

export function historyTable(history: { at: string; from?: string | null; to: string; actor: string; reason?: string | null }[]) {
  const rows = history.map((e) => [e.at.slice(11, 23), e.from ?? '—', e.to, e.actor, e.reason ?? '']);
  const head = ['at (UTC)', 'from', 'to', 'by', 'reason'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `   | ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
}
