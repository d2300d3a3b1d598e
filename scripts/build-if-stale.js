#!/usr/bin/env node
/**
 * `npm start`'s prestart: runs `npm run build` only when a source is newer than the last build, so a warm start
 * is not a full TypeScript compile (about 9 s here). A fresh clone has no stamp and always builds.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const stamp = path.join(root, 'dist', '.build-stamp');
const inputs = ['src', 'web', 'clients/generated', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

function newest(file) {
  const st = statSync(file);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(file).map((f) => newest(path.join(file, f))));
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
if (Math.max(...inputs.map((f) => newest(path.join(root, f)))) > builtAt) {
  const started = new Date();
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  writeFileSync(stamp, `${started.toISOString()}\n`);
  // The stamp carries the build's start: a source saved during the build is still newer next time.
  utimesSync(stamp, started, started);
}
