#!/usr/bin/env node
/**
 * `npm run bench:startup`: time-to-ready of the built server on the embedded default, first start (initdb and
 * migrations) and warm start, three of each, with the server's own per-phase figures (its `ready` log line).
 * Time-to-ready is from spawning `node dist/server.js` to the first 200 of /readyz; `npm start` adds npm itself
 * and its prestart check (scripts/build-if-stale.js), about 0.4 s here.
 */
const { spawn } = require('node:child_process');
const { chmodSync, mkdtempSync, rmSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.join(__dirname, '..');
const runs = Number(process.env.RUNS || 3);

const freePort = () =>
  new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function start(dataDir) {
  const port = await freePort();
  const began = performance.now();
  const child = spawn(process.execPath, [path.join(root, 'dist/server.js')], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'info',
      EXPIRY_JOB_CRON: process.env.EXPIRY_JOB_CRON ?? '* * * * *',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${out}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const readyMs = Math.round(performance.now() - began);
  const line = out.split('\n').find((l) => l.includes('"startup"'));
  const phases = line ? JSON.parse(line).startup : {};
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  return { readyMs, phases };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const results = { first: [], warm: [] };
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(path.join(root, '.data', 'startup-'));
    chmodSync(dir, 0o755); // as root, the embedded PostgreSQL's own user must enter it
    try {
      results.first.push(await start(dir));
      results.warm.push(await start(dir));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  for (const [kind, rs] of Object.entries(results)) {
    const keys = Object.keys(rs[0].phases);
    console.log(
      `\n${kind} start: ready in ${median(rs.map((r) => r.readyMs))} ms (median of ${rs.length}: ${rs.map((r) => r.readyMs).join(', ')})`,
    );
    for (const k of keys) console.log(`  ${k.padEnd(18)} ${String(median(rs.map((r) => r.phases[k] ?? 0))).padStart(6)} ms`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
