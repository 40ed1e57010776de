/**
 * The servers under load, each its own process: ours (the built app), the
 * bare Fastify baseline, and the hello-world ceiling. Starting one times its
 * cold start (spawn to the first healthy answer); while it runs, its memory
 * is read from /proc.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import services from '../scripts/local-services.cjs';
import { benchFile } from './paths.mjs';

/**
 * What ours ÷ baseline (req/s) should reach per scenario, where an issue set a
 * goal: status callbacks at 0.85 of the baseline or better (issue #13).
 */
export const RATIO_GOALS = { callbacks: 0.85 };

const STARTUP_TIMEOUT_MS = 90_000;
const POLL_MS = 20;
/** Output kept per server for error messages (the tail is what matters). */
const MAX_OUTPUT = 64 * 1024;

/** What each kind of server runs, and how it proves it is ready. */
const KINDS = {
  ours: { entry: (appMain) => appMain, healthPath: '/messaging/health', healthy: (json) => json.status === 'healthy' },
  baseline: { entry: () => benchFile('baseline-server.mjs'), healthPath: '/messaging/health', healthy: (json) => json.status === 'healthy' },
  hello: { entry: () => benchFile('hello-server.mjs'), healthPath: '/', healthy: () => true },
};

/**
 * Spawns a server of `kind` on a free loopback port and resolves once it
 * answers healthy. `nodeArgs` go before the entry (e.g. --cpu-prof).
 */
export async function startTarget(kind, { env, appMain, cwd, nodeArgs = [] }) {
  const spec = KINDS[kind];
  const port = await services.findFreePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, spec.entry(appMain)], {
    cwd,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk).slice(-MAX_OUTPUT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const target = {
    kind,
    url,
    pid: child.pid,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
  try {
    await waitHealthy(`${url}${spec.healthPath}`, spec.healthy, child, () => output);
  } catch (error) {
    await target.stop();
    throw error;
  }
  target.startupMs = Math.round(performance.now() - started);
  return target;
}

async function waitHealthy(url, healthy, child, output) {
  const deadline = performance.now() + STARTUP_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url} exited before it was healthy (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const json = await response.json().catch(() => ({}));
      if (response.ok && healthy(json)) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  throw new Error(`${url} was not healthy within ${STARTUP_TIMEOUT_MS / 1000}s:\n${output()}`);
}

/** `VmRSS`/`VmHWM` of a process in MB (from /proc; undefined where there is none). */
export function memoryOf(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024;
    return { rssMb: field('VmRSS'), hwmMb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Clock ticks per second of /proc/PID/stat times (USER_HZ: 100 on every Linux build that matters). */
const USER_HZ = 100;

/** CPU time (user + system) a process has used so far, in ms; undefined without /proc. */
export function cpuTimeMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ;
  } catch {
    return undefined;
  }
}

/**
 * Tracks the peak RSS of `pid` over one measurement: the kernel's high-water
 * mark is reset first (clear_refs 5), and RSS is also sampled every 250 ms
 * in case the reset is not permitted. `stop()` resolves to the peak in MB.
 */
export function trackPeakRss(pid) {
  let resetOk = true;
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    resetOk = false;
  }
  let peak = memoryOf(pid)?.rssMb ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryOf(pid)?.rssMb ?? 0);
  }, 250);
  return {
    stop() {
      clearInterval(timer);
      const now = memoryOf(pid);
      return Math.max(peak, now?.rssMb ?? 0, resetOk ? (now?.hwmMb ?? 0) : 0);
    },
  };
}
