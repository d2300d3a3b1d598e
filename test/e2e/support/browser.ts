/**
 * The browser of the end-to-end tests: Debian's Chromium (never a downloaded one) driven by playwright-core.
 * Every page a test opens is watched: a console error, an uncaught exception or a request to any host but
 * loopback fails the test at `finish()`; `snap()` saves a screenshot under test-artifacts/e2e/ and runs axe-core on
 * the page, failing on any serious or critical violation.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const ARTIFACTS = path.join(__dirname, '..', '..', '..', 'test-artifacts', 'e2e');

/** CHROMIUM_PATH, else `chromium` on the PATH (scripts/ensure-chromium.sh installs Debian's package). */
export function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no Chromium found: run scripts/ensure-chromium.sh (apt-get install chromium) or set CHROMIUM_PATH');
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    // Without the networking flags Chromium keeps reaching for Google's hosts, which this machine refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const loopback = (url: string) => {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  const host = new URL(url).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
};

let axeSource: string | undefined;

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, page errors and requests that tried to leave the machine, in order. */
  problems: string[];
  /** A screenshot `test-artifacts/e2e/<suite>/<n>-<name>.png`, then axe-core on the page as it is now. */
  snap(name: string): Promise<void>;
  /** Fails when the page logged an error or reached for another host; closes the context. */
  finish(): Promise<void>;
  /**
   * Drops the console errors a test expects, matched by pattern: Chromium logs every 4xx it fetched as an error,
   * such as the sandbox's 402 for a declined test card.
   */
  expectConsoleError(pattern: RegExp): void;
}

/** A fresh browser context (its own storage: a new shopper or admin) with one watched page. */
export async function watchedPage(browser: Browser, suite: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // No request leaves the machine: anything that tries is aborted and counted.
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (loopback(url)) return route.continue();
    problems.push(`request to another host: ${url}`);
    return route.abort('blockedbyclient');
  });
  const dir = path.join(ARTIFACTS, suite);
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return {
    page,
    context,
    problems,
    async snap(name) {
      n += 1;
      await page.screenshot({ path: path.join(dir, `${String(n).padStart(2, '0')}-${name}.png`), fullPage: true });
      axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
      // Evaluated through the DevTools protocol, which the page's CSP does not govern (an added <script> it would
      // refuse); strings, not functions: they run in the page, whose globals (axe, document) this file does not type.
      if (!(await page.evaluate("typeof axe !== 'undefined'"))) await page.evaluate(axeSource);
      const found = (await page.evaluate(
        `axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) })))`,
      )) as AxeViolation[];
      const violations = found
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join(', ')})`);
      if (violations.length) throw new Error(`accessibility on "${name}" (${page.url()}):\n${violations.join('\n')}`);
    },
    expectConsoleError(pattern) {
      const rest = problems.filter((p) => !(p.startsWith('console error:') && pattern.test(p)));
      problems.splice(0, problems.length, ...rest);
    },
    async finish() {
      await context.close();
      if (problems.length) throw new Error(`the browser reported:\n${problems.join('\n')}`);
    },
  };
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  targets: string[];
}

/** True when the artifacts of a suite exist (the README's screenshots are copied from them). */
export const artifact = (suite: string, file: string) => existsSync(path.join(ARTIFACTS, suite, file));

/** Waits until an input shows `value`: React fills controlled inputs once their query answers. */
export async function waitForValue(locator: Locator, value: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let seen = await locator.inputValue();
  while (seen !== value) {
    if (Date.now() > until) throw new Error(`the input still shows ${JSON.stringify(seen)}, not ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
    seen = await locator.inputValue();
  }
}
