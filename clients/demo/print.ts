/** What the demo prints: one line per step, and an order's history as a small table. */
export const step = (n: number, text: string) => process.stdout.write(`\n${n}. ${text}\n`);
export const done = (text: string) => process.stdout.write(`   ✓ ${text}\n`);
export const note = (text: string) => process.stdout.write(`   · ${text}\n`);

/** The storefront of the site the demo made: where a purchase can be made by hand, in a browser. */
export const storefront = (url: string, siteId: string) =>
  process.stdout.write(
    `\nThe storefront of this site: ${url}/shop/${siteId}\n   · open it in a browser to make a purchase by hand (test card 4242 4242 4242 4242)\n`,
  );

export function historyTable(history: { at: string; from?: string | null; to: string; actor: string; reason?: string | null }[]) {
  const rows = history.map((e) => [e.at.slice(11, 23), e.from ?? '—', e.to, e.actor, e.reason ?? '']);
  const head = ['at (UTC)', 'from', 'to', 'by', 'reason'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `   | ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write([line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n');
}
