'use strict';
/** Shared constants, small helpers and the record of started services (scripts/local-services.cjs). */
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const LOCAL_DIR = path.join(ROOT, '.local');
const BIN_DIR = path.join(LOCAL_DIR, 'bin');
const LOG_DIR = path.join(LOCAL_DIR, 'logs');
const STATE_FILE = path.join(LOCAL_DIR, 'services.json');
const FERRETDB_SRC = path.join(ROOT, 'tools', 'ferretdb');
// FERRETDB_BIN: use (and build, if stale) a FerretDB binary elsewhere, e.g. to try a patch without
// replacing the one other checkouts share.
const FERRETDB_BIN = process.env.FERRETDB_BIN ? path.resolve(process.env.FERRETDB_BIN) : path.join(BIN_DIR, 'ferretdb');
const FERRETDB_STAMP = `${FERRETDB_BIN}.stamp`;
const SMTP_SCRIPT = path.join(__dirname, 'smtp-capture.cjs');
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


module.exports = {
  fs,
  net,
  os,
  path,
  crypto,
  spawn,
  spawnSync,
  ROOT,
  LOCAL_DIR,
  BIN_DIR,
  LOG_DIR,
  STATE_FILE,
  FERRETDB_SRC,
  FERRETDB_BIN,
  FERRETDB_STAMP,
  SMTP_SCRIPT,
  MAIL_DIR,
  LOOPBACK,
  DEFAULT_DB_PORT,
  DEFAULT_SMTP_PORT,
  READY_TIMEOUT_MS,
  GO_BUILD_ARGS,
  ALTERNATIVES,
  LocalServicesError,
  rel,
  isPortOpen,
  findFreePort,
  isAlive,
  looksLikeOurs,
  tail,
  sleep,
  readState,
  writeState,
  recordStarted,
  forgetStarted,
};
