#!/usr/bin/env node
'use strict';
/**
 * Local services for development and tests, without Docker:
 *   - db:   FerretDB 1.24.2 (MongoDB wire protocol, SQLite backend), built from tools/ferretdb
 *           into .local/bin/ferretdb. Default 127.0.0.1:27017, data in .local/ferretdb/data/.
 *   - smtp: SMTP capture server (scripts/lib/smtp-capture.cjs). Default 127.0.0.1:1025,
 *           every message is written to .local/mail/<timestamp>.eml.
 *
 *   node scripts/local-services.cjs start [--db-port N] [--smtp-port N] [--no-db] [--no-smtp]
 *   node scripts/local-services.cjs stop      # stops only what this script started
 *   node scripts/local-services.cjs status
 *   node scripts/local-services.cjs build     # just build .local/bin/ferretdb (cached)
 *
 * A service whose port already accepts connections is reused, never started twice.
 * With MONGODB_URI set the database is never started. What this script starts is
 * recorded in .local/services.json; `stop` stops exactly those processes.
 * Logs: .local/logs/<name>.log.
 * Environment: FERRETDB_PORT (default 27017) changes the dev database port; GO names the go binary.
 *
 * CommonJS on purpose: runs without a build and can be required from Jest global setup.
 */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const LOCAL_DIR = path.join(ROOT, '.local');
const BIN_DIR = path.join(LOCAL_DIR, 'bin');
const LOG_DIR = path.join(LOCAL_DIR, 'logs');
const STATE_FILE = path.join(LOCAL_DIR, 'services.json');
const FERRETDB_SRC = path.join(ROOT, 'tools', 'ferretdb');
const FERRETDB_BIN = path.join(BIN_DIR, 'ferretdb');
const FERRETDB_STAMP = `${FERRETDB_BIN}.stamp`;
const SMTP_SCRIPT = path.join(__dirname, 'lib', 'smtp-capture.cjs');
const MAIL_DIR = path.join(LOCAL_DIR, 'mail');

const LOOPBACK = '127.0.0.1';
const DEFAULT_DB_PORT = 27017;
const DEFAULT_SMTP_PORT = 1025;
const READY_TIMEOUT_MS = 60_000;
// Postgres backend is not needed; leaving it out makes the binary smaller and the build faster.
const GO_BUILD_ARGS = ['build', '-trimpath', '-buildvcs=false', '-tags', 'ferretdb_no_postgresql'];

const ALTERNATIVES =
  'Alternatives:\n' +
  '  - set MONGODB_URI to an existing MongoDB (e.g. MONGODB_URI=mongodb://127.0.0.1:27017/fluxkit-messaging), or\n' +
  '  - run `docker compose up` on a machine with Docker.';

class LocalServicesError extends Error {
  constructor(message) {
    super(message);
    this.name = 'LocalServicesError';
  }
}

/* ------------------------------------------------------------------ helpers */

/** Path for messages: relative to the cwd when below it, else absolute. */
function rel(p) {
  const r = path.relative(process.cwd(), p);
  return r.startsWith('..') || path.isAbsolute(r) ? p : r || '.';
}

/** Resolves true when host:port accepts a TCP connection within timeoutMs. */
function isPortOpen(port, host = LOOPBACK, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (open) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Asks the kernel for a free TCP port on host. */
function findFreePort(host = LOOPBACK) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Best effort guard against pid reuse: the command line must still mention what we started. */
function looksLikeOurs(entry) {
  try {
    const cmdline = fs.readFileSync(`/proc/${entry.pid}/cmdline`, 'utf8');
    return cmdline.includes(entry.match);
  } catch {
    return isAlive(entry.pid); // no /proc (macOS): trust the pid
  }
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).join('\n');
  } catch {
    return '(no log output)';
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/* --------------------------------------------------------- recorded state */

function readState() {
  try {
    const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
    return Array.isArray(state.services) ? state : { services: [] };
  } catch {
    return { services: [] };
  }
}

function writeState(state) {
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  const live = state.services.filter((s) => isAlive(s.pid));
  if (live.length === 0) {
    fs.rmSync(STATE_FILE, { force: true });
    return;
  }
  const tmp = `${STATE_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ services: live }, null, 2)}\n`);
  fs.renameSync(tmp, STATE_FILE);
}

function recordStarted(entry) {
  const state = readState();
  state.services = state.services.filter((s) => s.pid !== entry.pid);
  state.services.push(entry);
  writeState(state);
}

function forgetStarted(pid) {
  const state = readState();
  state.services = state.services.filter((s) => s.pid !== pid);
  writeState(state);
}

/* ------------------------------------------------------------------- build */

function findGo() {
  const candidates = [process.env.GO || 'go', '/usr/local/go/bin/go', path.join(os.homedir(), 'go', 'bin', 'go')];
  for (const candidate of candidates) {
    const res = spawnSync(candidate, ['version'], { encoding: 'utf8' });
    if (res.status === 0) return { go: candidate, version: res.stdout.trim() };
  }
  return null;
}

function ferretdbSourceHash() {
  const hash = crypto.createHash('sha256');
  hash.update(GO_BUILD_ARGS.join(' '));
  for (const name of ['go.mod', 'go.sum', 'main.go']) {
    hash.update(`\0${name}\0`);
    hash.update(fs.readFileSync(path.join(FERRETDB_SRC, name)));
  }
  return hash.digest('hex');
}

/**
 * Builds .local/bin/ferretdb from tools/ferretdb unless it exists and the sources did not change.
 * @returns {{ bin: string, built: boolean, seconds?: number }}
 */
function buildFerretDB({ force = false, log = console.log } = {}) {
  const wanted = ferretdbSourceHash();
  if (!force && fs.existsSync(FERRETDB_BIN)) {
    let have = '';
    try {
      have = fs.readFileSync(FERRETDB_STAMP, 'utf8').trim();
    } catch {
      have = '';
    }
    if (have === wanted) return { bin: FERRETDB_BIN, built: false };
  }

  const go = findGo();
  if (!go) {
    throw new LocalServicesError(
      'Cannot build FerretDB: the Go toolchain (`go`, 1.24 or newer) was not found on PATH.\n' +
        'Install Go (https://go.dev/dl/, or `apt-get install golang` if recent enough) so that\n' +
        '`node scripts/local-services.cjs build` can build .local/bin/ferretdb from tools/ferretdb.\n' +
        ALTERNATIVES,
    );
  }

  fs.mkdirSync(BIN_DIR, { recursive: true });
  const tmp = `${FERRETDB_BIN}.${process.pid}.tmp`;
  log(`[local-services] building FerretDB with ${go.version} -> ${rel(FERRETDB_BIN)} (first build takes about a minute)...`);
  const started = Date.now();
  const res = spawnSync(go.go, [...GO_BUILD_ARGS, '-o', tmp, '.'], {
    cwd: FERRETDB_SRC,
    env: { ...process.env, CGO_ENABLED: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) {
    fs.rmSync(tmp, { force: true });
    const output = `${res.stdout || ''}${res.stderr || ''}`.trim().split('\n').slice(-30).join('\n');
    throw new LocalServicesError(
      `Building FerretDB failed (${go.version}, in ${rel(FERRETDB_SRC)}):\n${output || res.error || 'no output'}\n` +
        'The build needs the Go module proxy (or a filled module cache) to fetch github.com/FerretDB/FerretDB v1.24.2.\n' +
        ALTERNATIVES,
    );
  }
  fs.renameSync(tmp, FERRETDB_BIN);
  fs.writeFileSync(FERRETDB_STAMP, `${wanted}\n`);
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  log(`[local-services] FerretDB built in ${seconds}s`);
  return { bin: FERRETDB_BIN, built: true, seconds };
}

/* ------------------------------------------------------------ start / stop */

/**
 * Spawns a detached process with output appended to .local/logs/<logName>.log and waits
 * until host:port accepts connections.
 */
async function startDetached({ name, command, args, port, host = LOOPBACK, logName, logPath, match, record = true, env }) {
  const logFile = logPath ? path.resolve(logPath) : path.join(LOG_DIR, `${logName || name}.log`);
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = fs.openSync(logFile, 'a');
  fs.writeSync(fd, `\n--- ${new Date().toISOString()} starting: ${command} ${args.join(' ')}\n`);
  let child;
  try {
    child = spawn(command, args, {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', fd, fd],
      env: env || process.env,
    });
  } finally {
    fs.closeSync(fd);
  }

  let exited = null;
  let spawnError = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.once('error', (err) => {
    spawnError = err;
  });
  child.unref();

  const entry = {
    name,
    pid: child.pid,
    port,
    host,
    log: logFile.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, logFile) : logFile,
    match: match || command,
    startedAt: new Date().toISOString(),
  };
  if (record && child.pid) recordStarted(entry);

  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (spawnError || exited) break;
    if (await isPortOpen(port, host, 500)) return { ...entry, started: true, recorded: record };
    await sleep(200);
  }

  if (!exited && !spawnError) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  if (record && child.pid) forgetStarted(child.pid);
  const why = spawnError
    ? `could not be spawned (${spawnError.message})`
    : exited
      ? `exited early (code ${exited.code}${exited.signal ? `, signal ${exited.signal}` : ''})`
      : `did not accept connections on ${host}:${port} within ${READY_TIMEOUT_MS / 1000}s`;
  throw new LocalServicesError(`${name} ${why}. Last lines of ${rel(logFile)}:\n${tail(logFile)}`);
}

/**
 * Makes a MongoDB-compatible database reachable.
 *  - MONGODB_URI set (and ignoreEnv not given): nothing is started, that URI is returned.
 *  - Port already open: reused, nothing started.
 *  - Otherwise FerretDB is built if needed and started detached.
 * @param {{ port?: number, host?: string, dataDir?: string, stateDir?: string, record?: boolean,
 *           ignoreEnv?: boolean, parentPid?: number, logName?: string, logPath?: string,
 *           logLevel?: string, log?: (s: string) => void }} [opts]
 * @returns {Promise<{ name: 'db', uri: string, port?: number, pid?: number, started: boolean, external?: boolean }>}
 */
async function ensureDatabase(opts = {}) {
  const log = opts.log || console.log;
  if (process.env.MONGODB_URI && !opts.ignoreEnv) {
    return { name: 'db', uri: process.env.MONGODB_URI, started: false, external: true };
  }
  const host = opts.host || LOOPBACK;
  const port = Number(opts.port || process.env.FERRETDB_PORT || DEFAULT_DB_PORT);
  const uri = `mongodb://${host}:${port}/`;
  if (await isPortOpen(port, host)) {
    return { name: 'db', uri, host, port, started: false };
  }

  const { bin } = buildFerretDB({ log });
  const dataDir = path.resolve(opts.dataDir || path.join(LOCAL_DIR, 'ferretdb', 'data'));
  const stateDir = path.resolve(opts.stateDir || path.join(path.dirname(dataDir), 'state'));
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(stateDir, { recursive: true });
  const args = [
    `--listen-addr=${host}:${port}`,
    `--sqlite-url=file:${dataDir}/`,
    `--state-dir=${stateDir}`,
    `--log-level=${opts.logLevel || 'info'}`,
  ];
  if (opts.parentPid) args.push(`--parent-pid=${opts.parentPid}`);
  const entry = await startDetached({
    name: 'db',
    command: bin,
    args,
    port,
    host,
    logName: opts.logName || 'ferretdb',
    match: path.basename(bin),
    record: opts.record !== false,
    logPath: opts.logPath,
  });
  return { ...entry, uri, dataDir };
}

/**
 * Makes an SMTP server reachable on host:port (default 127.0.0.1:1025). Reuses whatever already
 * listens there; otherwise starts the capture server, which writes mail to .local/mail/.
 * @param {{ port?: number, host?: string, dir?: string, record?: boolean }} [opts]
 */
async function ensureSmtp(opts = {}) {
  const host = opts.host || LOOPBACK;
  const port = Number(opts.port || DEFAULT_SMTP_PORT);
  const dir = path.resolve(opts.dir || MAIL_DIR);
  if (await isPortOpen(port, host)) {
    return { name: 'smtp', host, port, mailDir: dir, started: false };
  }
  const entry = await startDetached({
    name: 'smtp',
    command: process.execPath,
    args: [SMTP_SCRIPT, '--host', host, '--port', String(port), '--dir', dir],
    port,
    host,
    logName: 'smtp',
    match: path.basename(SMTP_SCRIPT),
    record: opts.record !== false,
  });
  return { ...entry, mailDir: dir };
}

/** Sends SIGTERM (then SIGKILL after timeoutMs) to one process started by this module. */
async function stopProcess(entry, { timeoutMs = 10_000 } = {}) {
  if (!entry || !entry.pid) return false;
  if (!isAlive(entry.pid) || (entry.match && !looksLikeOurs(entry))) {
    forgetStarted(entry.pid);
    return false;
  }
  try {
    process.kill(entry.pid, 'SIGTERM');
  } catch {
    /* gone */
  }
  const deadline = Date.now() + timeoutMs;
  while (isAlive(entry.pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(entry.pid)) {
    try {
      process.kill(entry.pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
  forgetStarted(entry.pid);
  return true;
}

/**
 * Stops services started by this module.
 * @param {Array<{pid?: number, started?: boolean}>} [handles] only these (as returned by ensure*);
 *        without it, everything recorded in .local/services.json.
 * @returns {Promise<string[]>} descriptions of what was stopped
 */
async function stopStarted(handles) {
  const targets = handles
    ? handles.filter((h) => h && h.started && h.pid)
    : readState().services;
  const stopped = [];
  for (const entry of targets) {
    if (await stopProcess(entry)) stopped.push(`${entry.name} (pid ${entry.pid}, ${entry.host || LOOPBACK}:${entry.port})`);
  }
  return stopped;
}

async function status() {
  const recorded = readState().services;
  const dbPort = Number(process.env.FERRETDB_PORT || DEFAULT_DB_PORT);
  const rows = [];
  if (process.env.MONGODB_URI) rows.push(`db    MONGODB_URI is set (${redact(process.env.MONGODB_URI)}): local FerretDB is not used`);
  for (const [name, port] of [
    ['db', dbPort],
    ['smtp', DEFAULT_SMTP_PORT],
  ]) {
    const open = await isPortOpen(port);
    const mine = recorded.find((s) => s.name === name && s.port === port && isAlive(s.pid));
    const who = mine ? `started by local-services, pid ${mine.pid}, log ${mine.log}` : open ? 'not started by local-services' : '';
    rows.push(`${name.padEnd(5)} ${LOOPBACK}:${port} ${open ? 'UP  ' : 'DOWN'} ${who}`.trimEnd());
  }
  for (const s of recorded) {
    if (s.port !== dbPort && s.port !== DEFAULT_SMTP_PORT) {
      rows.push(`${s.name.padEnd(5)} ${s.host}:${s.port} ${isAlive(s.pid) ? 'UP  ' : 'DOWN'} started by local-services, pid ${s.pid}`);
    }
  }
  rows.push(`bin   ${rel(FERRETDB_BIN)} ${fs.existsSync(FERRETDB_BIN) ? 'built' : 'not built'}`);
  return rows;
}

function redact(uri) {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}

/* --------------------------------------------------------------------- CLI */

function parseCli(argv) {
  const opts = { command: argv[0] || 'help', db: true, smtp: true };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i];
    const [key, inline] = arg.split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (key === '--db-port') opts.dbPort = Number(value());
    else if (key === '--smtp-port') opts.smtpPort = Number(value());
    else if (key === '--no-db') opts.db = false;
    else if (key === '--no-smtp') opts.smtp = false;
    else if (key === '--force') opts.force = true;
    else throw new LocalServicesError(`Unknown option ${arg}`);
  }
  return opts;
}

const USAGE = `Usage: node scripts/local-services.cjs <start|stop|status|build> [options]
  start   start FerretDB (127.0.0.1:27017) and the SMTP capture (127.0.0.1:1025) unless already reachable
          --db-port N  --smtp-port N  --no-db  --no-smtp
  stop    stop what \`start\` (or npm start) started, as recorded in .local/services.json
  status  show what is reachable and what was started here
  build   build .local/bin/ferretdb from tools/ferretdb (cached; --force to rebuild)`;

async function cli(argv) {
  const opts = parseCli(argv);
  switch (opts.command) {
    case 'start': {
      if (opts.db) {
        const db = await ensureDatabase({ port: opts.dbPort });
        if (db.external) console.log(`db    MONGODB_URI is set, using ${redact(db.uri)}`);
        else console.log(`db    ${db.uri} ${db.started ? `started (pid ${db.pid}, log ${db.log})` : 'already running'}`);
      }
      if (opts.smtp) {
        const smtp = await ensureSmtp({ port: opts.smtpPort });
        console.log(
          `smtp  smtp://${smtp.host}:${smtp.port} ${smtp.started ? `started (pid ${smtp.pid}, log ${smtp.log}); mail is saved to ${rel(smtp.mailDir)}/` : 'already running'}`,
        );
      }
      return 0;
    }
    case 'stop': {
      const stopped = await stopStarted();
      console.log(stopped.length ? `stopped: ${stopped.join(', ')}` : 'nothing to stop (no running service was started by local-services)');
      return 0;
    }
    case 'status':
      console.log((await status()).join('\n'));
      return 0;
    case 'build': {
      const res = buildFerretDB({ force: opts.force });
      if (!res.built) console.log(`[local-services] ${rel(res.bin)} is up to date`);
      return 0;
    }
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return 0;
    default:
      console.error(USAGE);
      return 2;
  }
}

module.exports = {
  ROOT,
  LOCAL_DIR,
  FERRETDB_BIN,
  MAIL_DIR,
  DEFAULT_DB_PORT,
  DEFAULT_SMTP_PORT,
  LocalServicesError,
  isPortOpen,
  findFreePort,
  buildFerretDB,
  ensureDatabase,
  ensureSmtp,
  stopProcess,
  stopStarted,
  status,
};

if (require.main === module) {
  cli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof LocalServicesError ? `[local-services] ${err.message}` : err);
      process.exit(1);
    },
  );
}
