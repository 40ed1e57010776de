#!/usr/bin/env node
'use strict';
/**
 * Local services for development and tests, without Docker:
 *   - db:   FerretDB 1.24.2 (MongoDB wire protocol, SQLite backend), built from tools/ferretdb
 *           into .local/bin/ferretdb. Default 127.0.0.1:27017, data in .local/ferretdb/data/.
 *   - smtp: SMTP capture server (scripts/lib/smtp-capture.cjs). Default 127.0.0.1:1025,
 *           every message is written to .local/mail/<timestamp>.eml.
 *   - twilio: Twilio capture server (scripts/lib/twilio-capture.cjs). Default 127.0.0.1:8026, answers like
 *           Twilio's Messages API and writes every SMS and WhatsApp message to .local/sms/<timestamp>-<sid>.json.
 *   - redis (opt-in, --redis): a redis-server (on PATH, or obtained: scripts/lib/redis-service.cjs), in-memory,
 *           default 127.0.0.1:6379, for REDIS_URL (shared rate limits, the delivery queue).
 *
 *   node scripts/local-services.cjs start [--db-port N] [--smtp-port N] [--twilio-port N] [--no-db] [--no-smtp]
 *                                         [--no-twilio] [--redis] [--redis-port N]
 *   node scripts/local-services.cjs stop      # stops only what this script started
 *   node scripts/local-services.cjs status
 *   node scripts/local-services.cjs build     # just build .local/bin/ferretdb (cached)
 *
 * A service whose port already accepts connections is reused, never started twice.
 * With MONGODB_URI set the database is never started. What this script starts is
 * recorded in .local/services.json; `stop` stops exactly those processes.
 * Logs: .local/logs/<name>.log.
 * Environment: FERRETDB_PORT (default 27017) changes the dev database port; GO names the go binary.
 * FERRETDB_BIN uses (and builds, when stale) a FerretDB binary at another path than .local/bin/ferretdb.
 *
 * CommonJS on purpose: runs without a build and can be required from Jest global setup.
 */
const {
  fs,
  path,
  ROOT,
  LOCAL_DIR,
  FERRETDB_BIN,
  SMTP_SCRIPT,
  MAIL_DIR,
  LOOPBACK,
  DEFAULT_DB_PORT,
  DEFAULT_SMTP_PORT,
  LocalServicesError,
  rel,
  isPortOpen,
  findFreePort,
  isAlive,
  readState,
} = require('./lib/services-base.cjs');
const { buildFerretDB } = require('./lib/ferretdb-build.cjs');
const { ensureCaptureServer, startDetached, stopProcess } = require('./lib/process-control.cjs');
const { ensureRedis, findRedisServer, obtainRedisServer, DEFAULT_REDIS_PORT } = require('./lib/redis-service.cjs');
const { ensureTwilio, localTwilioEnv, DEFAULT_TWILIO_CAPTURE_PORT, SMS_DIR } = require('./lib/twilio-service.cjs');


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
  const entry = await ensureCaptureServer({ name: 'smtp', script: SMTP_SCRIPT, host, port, dir, record: opts.record });
  return { ...entry, mailDir: dir };
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
  if (process.env.REDIS_URL) rows.push(`redis REDIS_URL is set (${redact(process.env.REDIS_URL)})`);
  const defaultPorts = [dbPort, DEFAULT_SMTP_PORT, DEFAULT_TWILIO_CAPTURE_PORT, DEFAULT_REDIS_PORT];
  for (const [name, port] of [
    ['db', dbPort],
    ['smtp', DEFAULT_SMTP_PORT],
    ['twilio', DEFAULT_TWILIO_CAPTURE_PORT],
    ['redis', DEFAULT_REDIS_PORT],
  ]) {
    const open = await isPortOpen(port);
    const mine = recorded.find((s) => s.name === name && s.port === port && isAlive(s.pid));
    const who = mine ? `started by local-services, pid ${mine.pid}, log ${mine.log}` : open ? 'not started by local-services' : '';
    rows.push(`${name.padEnd(6)} ${LOOPBACK}:${port} ${open ? 'UP  ' : 'DOWN'} ${who}`.trimEnd());
  }
  for (const s of recorded) {
    if (!defaultPorts.includes(s.port)) {
      rows.push(`${s.name.padEnd(6)} ${s.host}:${s.port} ${isAlive(s.pid) ? 'UP  ' : 'DOWN'} started by local-services, pid ${s.pid}`);
    }
  }
  rows.push(`bin    ${rel(FERRETDB_BIN)} ${fs.existsSync(FERRETDB_BIN) ? 'built' : 'not built'}`);
  return rows;
}

function redact(uri) {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}

/* --------------------------------------------------------------------- CLI */

function parseCli(argv) {
  const opts = { command: argv[0] || 'help', db: true, smtp: true, twilio: true, redis: false };
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i];
    const [key, inline] = arg.split('=', 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    if (key === '--db-port') opts.dbPort = Number(value());
    else if (key === '--smtp-port') opts.smtpPort = Number(value());
    else if (key === '--no-db') opts.db = false;
    else if (key === '--no-smtp') opts.smtp = false;
    else if (key === '--twilio-port') opts.twilioPort = Number(value());
    else if (key === '--no-twilio') opts.twilio = false;
    else if (key === '--redis') opts.redis = true;
    else if (key === '--redis-port') {
      opts.redis = true;
      opts.redisPort = Number(value());
    }
    else if (key === '--force') opts.force = true;
    else throw new LocalServicesError(`Unknown option ${arg}`);
  }
  return opts;
}

const USAGE = `Usage: node scripts/local-services.cjs <start|stop|status|build> [options]
  start   start FerretDB (127.0.0.1:27017), the SMTP capture (127.0.0.1:1025) and the Twilio capture
          (127.0.0.1:8026) unless already reachable
          --db-port N  --smtp-port N  --twilio-port N  --no-db  --no-smtp  --no-twilio
          --redis [--redis-port N]  also start Redis (127.0.0.1:6379), for REDIS_URL
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
      if (opts.twilio) {
        const twilio = await ensureTwilio({ port: opts.twilioPort });
        console.log(
          `twilio ${twilio.url} ${twilio.started ? `started (pid ${twilio.pid}, log ${twilio.log}); SMS and WhatsApp are saved to ${rel(twilio.smsDir)}/` : 'already running'}`,
        );
      }
      if (opts.redis) {
        const redis = await ensureRedis({ port: opts.redisPort });
        if (redis.external) console.log(`redis REDIS_URL is set, using ${redact(redis.url)}`);
        else console.log(`redis ${redis.url} ${redis.started ? `started (pid ${redis.pid}, log ${redis.log})` : 'already running'}`);
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
  SMS_DIR,
  DEFAULT_DB_PORT,
  DEFAULT_SMTP_PORT,
  DEFAULT_TWILIO_CAPTURE_PORT,
  LocalServicesError,
  isPortOpen,
  findFreePort,
  buildFerretDB,
  ensureDatabase,
  ensureSmtp,
  ensureTwilio,
  localTwilioEnv,
  ensureRedis,
  findRedisServer,
  obtainRedisServer,
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
