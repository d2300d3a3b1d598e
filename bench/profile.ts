import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Row {
  name: string;
  ms: number;
  pct: number;
}

export interface ProfileSummary {
  file: string;
  /** Sampled time, excluding (idle). */
  busyMs: number;
  idleMs: number;
  selfByPackage: Row[];
  /** Time with at least one frame of the package on the stack (nested packages count for each). */
  inclusiveByPackage: Row[];
  selfByFunction: Row[];
}

/** Which package (or our build's folder) a frame belongs to. */
export function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) {
    const parts = url.slice(dist + '/dist/'.length).split('/');
    return `aegis/${parts.length > 1 ? parts[0] : parts[0].replace(/\.js$/, '')}`;
  }
  if (url.startsWith('node:')) return 'node (core)';
  return url;
}

/**
 * The profile's self and on-stack time. `window`: only the samples taken between these two instants, in
 * microseconds of the monotonic clock (`process.hrtime.bigint() / 1000n` in any process of the machine: V8's
 * profile timestamps and Node's hrtime both read CLOCK_MONOTONIC), such as one phase of the bench.
 */
export function summariseProfile(file: string, top = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfNode = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromUs || at > window.toUs)) continue;
    selfNode.set(profile.samples[i], (selfNode.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  let idleMs = 0;
  let busyMs = 0;
  const selfPkg = new Map<string, number>();
  const inclPkg = new Map<string, number>();
  const selfFn = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const [id, ms] of selfNode) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleMs += ms;
      continue;
    }
    busyMs += ms;
    const pkg = packageOf(url, functionName);
    add(selfPkg, pkg, ms);
    add(selfFn, `${functionName || '(anonymous)'}  ${pkg}${url ? `:${url.split('/').pop()}:${lineNumber + 1}` : ''}`, ms);
    const onStack = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (f.functionName === '(root)') continue;
      onStack.add(packageOf(f.url, f.functionName));
    }
    for (const p of onStack) add(inclPkg, p, ms);
  }
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: Math.round((ms / busyMs) * 1000) / 10 }));
  return {
    file,
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    selfByPackage: rows(selfPkg),
    inclusiveByPackage: rows(inclPkg),
    selfByFunction: rows(selfFn),
  };
}

export function printProfile(s: ProfileSummary): string {
  const table = (title: string, rows: Row[]) =>
    [`  ${title}`, ...rows.map((r) => `    ${String(r.pct).padStart(5)}%  ${String(r.ms).padStart(7)} ms  ${r.name}`)].join('\n');
  return [
    `CPU profile ${s.file}: ${s.busyMs} ms busy, ${s.idleMs} ms idle`,
    table('self time by package', s.selfByPackage.slice(0, 15)),
    table('on-stack time by package', s.inclusiveByPackage.slice(0, 20)),
    table('self time by function', s.selfByFunction),
  ].join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist-bench/bench/profile.js <file.cpuprofile>\n');
    process.exit(2);
  }
  process.stdout.write(printProfile(summariseProfile(file, 40)) + '\n');
}
