import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Structural authority: who may write what is a property of the code's shape, checked here and by dependency-cruiser. */
const ROOT = path.join(__dirname, '..', '..');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
const rel = (f: string) => path.relative(ROOT, f);
const source = files(path.join(ROOT, 'src')).map((f) => ({ file: rel(f), text: readFileSync(f, 'utf8') }));

type Violation = { rule: { name: string }; from: string; to: string };
const cruise = (cwd: string, config: string): Violation[] =>
  JSON.parse(
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        'src',
        '--config',
        config,
        '--output-type',
        'json',
      ],
      { cwd },
    ).toString(),
  ).summary.violations;

describe('order state and the other machines', () => {
  it('is assigned only by the runners: Order.state and PaymentAttempt.status by the order runner, Suggestion.status by its own', () => {
    // A statement `x.state = ...` or `x.status = ...` (SQL comparisons like `o.state = ?` sit inside strings, not at a line's start).
    const assigns = source
      .filter(({ file }) => !file.startsWith('src/integrations/stripe/sandbox/'))
      .filter(({ text }) => /^\s*[\w.]+\.(state|status)\s*=[^=]/m.test(text))
      .map(({ file }) => file)
      .sort();
    expect(assigns).toEqual(['src/domain/content/suggestion-runner.ts', 'src/domain/order/runner/moves.ts']);
  });

  it('names no payment provider in src/domain: it speaks through its ports', () => {
    const named = source.filter(({ file, text }) => file.startsWith('src/domain/') && /stripe/i.test(text)).map(({ file }) => file);
    expect(named).toEqual([]);
  });

  it('is never written by raw SQL outside the migrations', () => {
    const raw = source.filter(
      ({ file, text }) =>
        !file.startsWith('src/migrations/') &&
        (/update\s+orders\s+set[^;`]*\bstate\b/i.test(text) || /nativeUpdate\(\s*Order\b[^;]*\bstate\b/.test(text)),
    );
    expect(raw.map((f) => f.file)).toEqual([]);
  });
});

describe('stock', () => {
  // The ledger's sums are the columns only if every write of the columns appends its rows in the same statement.
  it('has its columns written only by the ledger statements, and the order holds stock only through the runner records', () => {
    const writers = source
      .filter(({ file }) => !file.startsWith('src/migrations/'))
      .filter(({ text }) => /update\s+products\b[^;`]*\bstock_(on_hand|reserved)\b|\.stock(OnHand|Reserved)\s*=[^=]/i.test(text))
      .map(({ file }) => file);
    expect(writers).toEqual(['src/domain/stock/ledger.ts']);
    // Reserving, selling, releasing and restocking are rows of the order table: only its records call them.
    const callers = source
      .filter(({ text }) => /\b(reserveOrderStock|settleOrderStock|restockOrder)\(/.test(text))
      .map(({ file }) => file)
      .filter((f) => f !== 'src/domain/stock/ledger.ts');
    expect(callers).toEqual(['src/domain/order/runner/records.ts']);
  });
});

describe('resolvers', () => {
  it('never touch the EntityManager but to hand it to the domain', () => {
    const uses = source
      .filter(({ file }) => file.startsWith('src/resolvers/'))
      .flatMap(({ file, text }) => [...text.matchAll(/\bem\s*\.\s*\w+|\bem\s*\[/g)].map((m) => `${file}: ${m[0]}`));
    expect(uses).toEqual([]);
  });
});

describe('the layer rules (.dependency-cruiser.js, also run by `npm run lint:deps`)', () => {
  it('hold for src/', () => {
    expect(cruise(ROOT, '.dependency-cruiser.js')).toEqual([]);
  });

  it('catch each kind of violation (test/fixtures/layer-violations)', () => {
    const found = cruise(path.join(ROOT, 'test', 'fixtures', 'layer-violations'), path.join(ROOT, '.dependency-cruiser.js'));
    expect(found.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*node_modules\//, 'node_modules/')}`).sort()).toEqual([
      'ai-cannot-reach-order-state: src/integrations/ai/advisor.ts -> src/domain/order/machine.ts',
      'domain-knows-no-provider: src/domain/order/pay.ts -> src/integrations/stripe/client.ts',
      'entities-import-only-states-and-ids: src/entities/order.ts -> src/domain/rule.ts',
      'integrations-stay-outside: src/integrations/helper.ts -> src/domain/order/machine.ts',
      'ports-stand-alone: src/domain/order/ports.ts -> src/domain/order/machine.ts',
      'resolvers-call-domain-only: src/resolvers/writes.ts -> node_modules/@mikro-orm/core/index.mjs',
      'resolvers-call-domain-only: src/resolvers/writes.ts -> src/entities/order.ts',
    ]);
  });
});
