'use strict';
/**
 * Redis for local runs and tests: Debian's `redis-server` (Redis 7) on loopback, no persistence.
 * Only needed for the scale-out features (REDIS_URL: shared rate limits, the delivery queue).
 */
const { spawnSync } = require('node:child_process');
const { fs, path, LOCAL_DIR, LOOPBACK, LocalServicesError, isPortOpen } = require('./services-base.cjs');
const { startDetached } = require('./process-control.cjs');

const DEFAULT_REDIS_PORT = 6379;
const INSTALL_HINT = 'Install it with `apt-get install redis-server` (Debian/Ubuntu), or set REDIS_URL to a running Redis.';

/** Absolute path of redis-server on PATH, or undefined. */
function findRedisServer() {
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = found.status === 0 ? found.stdout.trim() : '';
  return bin || undefined;
}

/**
 * Makes a Redis reachable.
 *  - REDIS_URL set (and ignoreEnv not given): nothing is started, that URL is returned.
 *  - Port already open: reused, nothing started.
 *  - Otherwise redis-server is started detached, in-memory only (no RDB, no AOF).
 * @param {{ port?: number, host?: string, dataDir?: string, record?: boolean, ignoreEnv?: boolean,
 *           logName?: string, logPath?: string }} [opts]
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

  const bin = findRedisServer();
  if (!bin) throw new LocalServicesError(`redis-server was not found on PATH. ${INSTALL_HINT}`);
  const dataDir = path.resolve(opts.dataDir || path.join(LOCAL_DIR, 'redis'));
  fs.mkdirSync(dataDir, { recursive: true });
  const args = ['--bind', host, '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dataDir];
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
  return { ...entry, url };
}

module.exports = { ensureRedis, findRedisServer, DEFAULT_REDIS_PORT };
