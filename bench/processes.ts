import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';

export { freePort } from '../src/free-port';

export interface Child {
  pid: number;
  url: string;
  /** VmHWM of /proc/<pid>/status: the peak resident set size so far, in MB. */
  peakRssMb(): number;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Spawns `node <args>` listening on `port`, logs to `logFile`, and waits (bounded) until GET `readyPath` answers 200.
 */
export async function spawnNode(opts: {
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  logFile: string;
  readyPath: string;
  timeoutMs: number;
}): Promise<Child> {
  const log = createWriteStream(opts.logFile);
  const proc: ChildProcess = spawn(process.execPath, opts.args, { env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(log);
  proc.stderr!.pipe(log);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) =>
    proc.once('exit', (code, signal) => {
      exited = code ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${opts.port}`;
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`${opts.args.join(' ')} exited with ${exited} before it was ready; see ${opts.logFile}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${opts.args.join(' ')} not ready within ${opts.timeoutMs} ms; see ${opts.logFile}`);
    }
    try {
      const res = await fetch(url + opts.readyPath, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  const pid = proc.pid!;
  return {
    pid,
    url,
    // With WEB_CONCURRENCY > 1 the server is a supervisor and its workers: their peaks are added.
    peakRssMb: () =>
      [pid, ...childrenOf(pid)].reduce((sum, p) => {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
        return sum + (m ? Number(m[1]) / 1024 : NaN);
      }, 0),
    async stop(graceMs = 15_000) {
      if (exited !== null) return;
      proc.kill('SIGTERM');
      const killer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(killer);
      log.end();
    },
  };
}

const TICK = 100; // USER_HZ on Linux

/** utime + stime (+ reaped children's, when asked) of a process, in seconds; 0 when it is gone. */
function procCpu(pid: number, withChildren = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields after the comm: state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
    const own = Number(f[11]) + Number(f[12]);
    return (withChildren ? own + Number(f[13]) + Number(f[14]) : own) / TICK;
  } catch {
    return 0;
  }
}

function childrenOf(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === ppid) pids.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy and total CPU seconds of the whole machine (all cores), from /proc/stat. */
function machineCpu(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = f[3] + f[4];
  return { busy: (total - idle) / TICK, total: total / TICK };
}

export interface CpuSnapshot {
  server: number;
  bench: number;
  postgres: number | null;
  machineBusy: number;
  machineTotal: number;
  at: number;
}

/** Where CPU went in a phase: the server process, this bench process, our PostgreSQL (embedded only), the rest. */
export function cpuSnapshot(serverPid: number, postmasterPid: number | null, extraPids: number[] = []): CpuSnapshot {
  const u = process.cpuUsage();
  const m = machineCpu();
  const postgres =
    postmasterPid === null ? null : procCpu(postmasterPid, true) + childrenOf(postmasterPid).reduce((s, p) => s + procCpu(p), 0);
  return {
    // The server's own CPU and its live children's (cluster workers), plus any it has reaped.
    server: procCpu(serverPid, true) + childrenOf(serverPid).reduce((s, p) => s + procCpu(p), 0),
    bench: (u.user + u.system) / 1e6 + extraPids.reduce((s, p) => s + procCpu(p), 0),
    postgres,
    machineBusy: m.busy,
    machineTotal: m.total,
    at: performance.now(),
  };
}

export interface CpuShare {
  /** Percent of one core. */
  serverPct: number;
  benchPct: number;
  postgresPct: number | null;
  /** Busy time of processes that are not ours (other users of the machine), percent of one core. */
  otherPct: number | null;
  machineBusyPct: number;
  cores: number;
  /** CPU seconds used during the phase (the per-operation figures divide these). */
  serverSeconds: number;
  postgresSeconds: number | null;
  wallSeconds: number;
}

export function cpuShare(a: CpuSnapshot, b: CpuSnapshot): CpuShare {
  const wall = (b.at - a.at) / 1000;
  const pct = (x: number) => Math.round((x / wall) * 100);
  const cores = Math.round((b.machineTotal - a.machineTotal) / wall);
  const server = b.server - a.server;
  const bench = b.bench - a.bench;
  const postgres = a.postgres === null || b.postgres === null ? null : b.postgres - a.postgres;
  const busy = b.machineBusy - a.machineBusy;
  return {
    serverPct: pct(server),
    benchPct: pct(bench),
    postgresPct: postgres === null ? null : pct(postgres),
    otherPct: postgres === null ? null : Math.max(0, pct(busy - server - bench - postgres)),
    machineBusyPct: pct(busy),
    cores,
    serverSeconds: server,
    postgresSeconds: postgres,
    wallSeconds: wall,
  };
}

/** CPU seconds of each live process of our PostgreSQL, with whether it serves a connection to `database`. */
export interface PostgresProcesses {
  byPid: Map<number, { backend: boolean; cpu: number }>;
}

export function postgresProcesses(postmasterPid: number, database: string): PostgresProcesses {
  const byPid = new Map<number, { backend: boolean; cpu: number }>();
  for (const pid of childrenOf(postmasterPid)) {
    let title = '';
    try {
      title = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    } catch {
      continue; // gone meanwhile
    }
    // A backend's title is "postgres: <user> <database> <client> <activity>" (PostgreSQL's process title).
    byPid.set(pid, { backend: title.split(/\s+/)[2] === database, cpu: procCpu(pid) });
  }
  return { byPid };
}

/**
 * The CPU seconds the backends serving `database` used between two snapshots: the live ones at the end, less what
 * each had used at the start (none for one started meanwhile). The rest of PostgreSQL's CPU (postmaster, WAL
 * writer, checkpointer, autovacuum, and backends that exited meanwhile) is the total less this.
 */
export function backendSeconds(a: PostgresProcesses, b: PostgresProcesses): number {
  let sum = 0;
  for (const [pid, p] of b.byPid) if (p.backend) sum += p.cpu - (a.byPid.get(pid)?.cpu ?? 0);
  return sum;
}

export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}
