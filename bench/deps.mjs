/**
 * The real dependencies both servers use, started once per run: the
 * database (FerretDB on a free loopback port, or MONGODB_URI's server) and
 * the SMTP + Twilio-compatible servers (bench/deps-server.mjs, a child process).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import services from '../scripts/local-services.cjs';
import { benchFile, mongodbDriver } from './paths.mjs';

/** Database both servers write to (fresh every run). */
export const BENCH_DB = 'fluxkit_bench';
/**
 * Rows the collection holds at the start of every measurement (the rows the
 * previous one added are removed first): GET /messaging/logs always reads a
 * collection of this size, and no send pays for rows earlier runs left.
 * Small on purpose: FerretDB's SQLite backend scans the whole collection for
 * sorted pages, counts and conditional updates (see docs/benchmarks.md).
 */
export const SEED_ROWS = 200;
const SEED_MARK = 'bench-seed';

/** mongodb://hosts/anything?query → mongodb://hosts/<name>?query */
export function withDatabase(uri, name) {
  const hostsStart = uri.indexOf('://') + 3;
  const rest = uri.slice(hostsStart);
  const hostsEnd = rest.search(/[/?]/);
  const hosts = hostsEnd < 0 ? rest : rest.slice(0, hostsEnd);
  const query = rest.includes('?') ? rest.slice(rest.indexOf('?')) : '';
  return `${uri.slice(0, hostsStart)}${hosts}/${name}${query}`;
}

/** FerretDB's version, as pinned in tools/ferretdb/go.mod (its binary reports "unknown"). */
function ferretdbVersion(root) {
  const goMod = path.join(root, 'tools', 'ferretdb', 'go.mod');
  const match = fs.existsSync(goMod) ? /github\.com\/FerretDB\/FerretDB (v[\d.]+)/.exec(fs.readFileSync(goMod, 'utf8')) : null;
  return match?.[1] ?? 'unknown version';
}

/**
 * Where FerretDB keeps its SQLite files: `dbDir` when given, else a fresh
 * folder on tmpfs (/dev/shm) so that the disk's fsync latency, which both
 * servers would wait on alike, does not drown the differences being measured.
 */
function ferretDataRoot(root, dbDir) {
  if (dbDir) return path.resolve(root, dbDir);
  if (fs.existsSync('/dev/shm')) return path.join('/dev/shm', `fluxkit-bench-${process.pid}`);
  return path.join(root, '.local', 'bench', 'ferretdb');
}

/**
 * MONGODB_URI's server when set, else a FerretDB of our own (data wiped
 * first, and removed at stop). Resolves to the bench database's URI, a
 * description of the server, and a stop function.
 */
export async function startDatabase(root, log, { dbDir } = {}) {
  let handle;
  let dataRoot;
  let base = process.env.MONGODB_URI;
  if (!base) {
    dataRoot = ferretDataRoot(root, dbDir);
    fs.rmSync(dataRoot, { recursive: true, force: true });
    handle = await services.ensureDatabase({
      port: await services.findFreePort(),
      ignoreEnv: true,
      dataDir: path.join(dataRoot, 'data'),
      stateDir: path.join(dataRoot, 'state'),
      logName: 'ferretdb-bench',
      logLevel: 'warn',
      record: false,
      parentPid: process.pid,
      log,
    });
    base = handle.uri;
    log(`FerretDB started on ${handle.uri} (pid ${handle.pid}), data in ${dataRoot}`);
  }
  const uri = withDatabase(base, BENCH_DB);
  const { version } = await prepareDatabase(uri);
  const where = dataRoot?.startsWith('/dev/shm') ? 'tmpfs' : 'disk';
  const description = handle
    ? `FerretDB ${ferretdbVersion(root)} (SQLite backend, data on ${where}; reports MongoDB ${version})`
    : `MongoDB ${version} (MONGODB_URI)`;
  const stop = async () => {
    if (!handle) return;
    await services.stopStarted([handle]);
    fs.rmSync(dataRoot, { recursive: true, force: true });
  };
  return { uri, description, seedRows: SEED_ROWS, pid: handle?.pid, stop };
}

/** Removes every row but the seed rows: each scenario starts from the same collection. */
export async function trimToSeed(uri) {
  const { MongoClient } = mongodbDriver();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    await client.db().collection('message_logs').deleteMany({ requestedBy: { $ne: SEED_MARK } });
  } finally {
    await client.close();
  }
}

/** Drops the bench database, seeds it, and tells the server's version. */
async function prepareDatabase(uri) {
  const { MongoClient } = mongodbDriver();
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db = client.db();
    const info = await db.admin().command({ buildInfo: 1 });
    await db.dropDatabase();
    const start = Date.now() - SEED_ROWS * 1000;
    const rows = Array.from({ length: SEED_ROWS }, (_, i) => ({
      channel: 'email',
      to: `seed-${i}@example.com`,
      subject: `Seed ${i}`,
      status: 'sent',
      messageId: `<seed-${i}@example.com>`,
      provider: 'smtp',
      requestedBy: SEED_MARK,
      createdAt: new Date(start + i * 1000),
      updatedAt: new Date(start + i * 1000),
    }));
    await db.collection('message_logs').insertMany(rows);
    return { version: info.version };
  } finally {
    await client.close();
  }
}

/**
 * Starts bench/deps-server.mjs and resolves with its addresses, a `counts()`
 * reader and `stop()`.
 */
export async function startNetworkDeps() {
  const child = spawn(process.execPath, [benchFile('deps-server.mjs')], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('\n')) resolve(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => reject(new Error(`deps-server exited (${code}): ${stderr}`)));
  });
  const info = JSON.parse(line);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    ...info,
    pid: child.pid,
    counts: async () => (await fetch(`${info.controlUrl}/counts`)).json(),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
