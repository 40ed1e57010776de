#!/usr/bin/env node
/**
 * `npm start`: run the service locally with no Docker and no configuration.
 *
 *  1. Makes the local services reachable (scripts/local-services.cjs):
 *     FerretDB on 127.0.0.1:27017 unless MONGODB_URI is set,
 *     the SMTP capture on 127.0.0.1:1025 unless SMTP_HOST is set,
 *     the Twilio capture on 127.0.0.1:8026 (--twilio-port N) unless TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
 *     TWILIO_API_BASE_URL or TWILIO_FAILOVER_URLS is set (then SMS and WhatsApp go where those say),
 *     with `npm start -- --redis`, a Redis on 127.0.0.1:6379 unless REDIS_URL is set (then
 *     REDIS_URL points at it: shared rate limits, the delivery queue). Without the option and
 *     without REDIS_URL the app runs without Redis, as a single instance does.
 *  2. Runs `npm run build` when dist/main.js is missing or anything in src/ (or tsconfig*.json,
 *     nest-cli.json, package.json) is newer than the last build.
 *  3. Runs `node dist/main.js` with local defaults for every variable that is not already set
 *     (JWT_SECRET comes from .local/jwt-secret, generated on first run; LOG_FORMAT=pretty; with the Twilio capture,
 *     PUBLIC_BASE_URL is the app's own address, so the capture's status callbacks reach it), forwards SIGINT/SIGTERM
 *     to it, and when it exits stops the services that this run started.
 *  4. Prints a link to the operations console with a token for it (an hour, messaging:admin) in the URL
 *     fragment, which browsers never send, so it reaches no server log; the console moves it into the
 *     tab's sessionStorage and drops it from the address bar.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const services = require('./local-services.cjs');
const jwt = require('jsonwebtoken');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LOCAL_DIR = path.join(ROOT, '.local');
const SECRET_FILE = path.join(LOCAL_DIR, 'jwt-secret');
const BUILD_STAMP = path.join(LOCAL_DIR, 'last-build');
const DIST_MAIN = path.join(ROOT, 'dist', 'main.js');

const log = (line) => console.log(`[start-local] ${line}`);

/** How long the console link's token lasts: a working session, not a standing credential. */
const CONSOLE_TOKEN_TTL_SECONDS = 3600;

const USAGE =
  'Usage: npm start [-- --redis] [--twilio-port N]\n' +
  '  --redis          also start a local Redis and set REDIS_URL\n' +
  '  --twilio-port N  the Twilio capture\'s port (default 8026)';

/** Any of these set by the user means SMS and WhatsApp go to the Twilio (or compatible API) they name. */
const TWILIO_ACCOUNT_VARIABLES = ['TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_BASE_URL', 'TWILIO_FAILOVER_URLS'];

/** The script's own options (after `npm start --`). */
function parseArgs(argv) {
  const options = { redis: false, twilioPort: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const [key, inline] = argv[i].split('=', 2);
    if (key === '--redis' && inline === undefined) options.redis = true;
    else if (key === '--twilio-port') {
      const raw = inline ?? argv[++i];
      options.twilioPort = Number(raw);
      if (!Number.isInteger(options.twilioPort) || options.twilioPort < 1 || options.twilioPort > 65535) {
        throw new Error(`--twilio-port must be a port number from 1 to 65535 (got ${raw})\n${USAGE}`);
      }
    } else throw new Error(`unknown option ${argv[i]}\n${USAGE}`);
  }
  return options;
}

/** Reads .local/jwt-secret, creating it (32 random bytes, hex, mode 0600) on first use. */
function localJwtSecret() {
  fs.mkdirSync(LOCAL_DIR, { recursive: true });
  try {
    fs.writeFileSync(SECRET_FILE, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    log(`generated a JWT secret in ${path.relative(ROOT, SECRET_FILE)}`);
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
  }
  const secret = fs.readFileSync(SECRET_FILE, 'utf8').trim();
  if (!secret) throw new Error(`${SECRET_FILE} is empty; delete it to generate a new secret`);
  return secret;
}

/**
 * The console link's token: every tenant's messages (messaging:admin), signed with the app's secret,
 * with the issuer and audience the app checks when they are set.
 */
function consoleToken(env) {
  return jwt.sign({ scope: 'messaging:admin' }, env.JWT_SECRET, {
    algorithm: 'HS256',
    subject: 'local-console',
    expiresIn: CONSOLE_TOKEN_TTL_SECONDS,
    ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
  });
}

function newestMtime(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs; // catches deleted files too
  for (const entry of fs.readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

function needsBuild() {
  if (!fs.existsSync(DIST_MAIN)) return 'dist/main.js is missing';
  if (!fs.existsSync(path.join(ROOT, 'dist', 'console', 'index.html'))) return 'dist/console is missing';
  const inputs = ['src', 'console', 'scripts/build-console.mjs', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json', 'package.json'];
  const newestInput = Math.max(...inputs.map((p) => newestMtime(path.join(ROOT, p))));
  // tsc may skip rewriting unchanged outputs, so the stamp written after each build counts too.
  const lastBuild = Math.max(newestMtime(DIST_MAIN), newestMtime(BUILD_STAMP));
  return newestInput > lastBuild ? 'sources changed since the last build' : null;
}

function build() {
  const reason = needsBuild();
  if (!reason) {
    log('dist/ is up to date, not rebuilding');
    return;
  }
  log(`${reason}: npm run build`);
  const res = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (res.status !== 0) throw new Error(`npm run build failed (${res.error ? res.error.message : `exit ${res.status}`})`);
  if (!fs.existsSync(DIST_MAIN)) throw new Error('npm run build succeeded but dist/main.js does not exist');
  fs.writeFileSync(BUILD_STAMP, `${new Date().toISOString()}\n`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const userSet = (name) => process.env[name] !== undefined && process.env[name] !== '';
  const started = [];
  let child = null;

  const stopServices = async () => {
    if (started.length === 0) return;
    const stopped = await services.stopStarted(started.splice(0));
    if (stopped.length) log(`stopped ${stopped.join(', ')}`);
  };

  try {
    const db = await services.ensureDatabase({ log });
    if (db.started) started.push(db);
    const smtp = userSet('SMTP_HOST') ? null : await services.ensureSmtp();
    if (smtp && smtp.started) started.push(smtp);
    const twilioUserSet = TWILIO_ACCOUNT_VARIABLES.filter(userSet);
    const twilio = twilioUserSet.length ? null : await services.ensureTwilio({ port: options.twilioPort });
    if (twilio && twilio.started) started.push(twilio);
    const redis = options.redis && !userSet('REDIS_URL') ? await services.ensureRedis({ ignoreEnv: true }) : null;
    if (redis && redis.started) started.push(redis);

    const defaults = {
      PORT: '3000',
      MONGODB_URI: `${db.uri.replace(/\/+$/, '')}/fluxkit-messaging`, // mongodb://127.0.0.1:27017/fluxkit-messaging
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: '1025',
      SMTP_SECURE: 'false',
      EMAIL_FROM: 'FluxKit <no-reply@localhost>',
      // Readable lines in a terminal; the service itself prints JSON lines unless told otherwise.
      LOG_FORMAT: 'pretty',
    };
    // The capture's credentials, senders and provider name; a sender or name the user set still wins.
    if (twilio) Object.assign(defaults, services.localTwilioEnv(twilio.url));
    const env = { ...process.env };
    for (const [name, value] of Object.entries(defaults)) if (!userSet(name)) env[name] = value;
    // The capture posts Twilio's status callbacks where the app asks for them: the app's own address.
    if (twilio && !userSet('PUBLIC_BASE_URL')) env.PUBLIC_BASE_URL = `http://127.0.0.1:${env.PORT}`;
    if (!userSet('JWT_SECRET')) env.JWT_SECRET = localJwtSecret();
    if (redis) env.REDIS_URL = redis.url;

    build();

    const dbNote = db.external ? 'MONGODB_URI from your environment' : db.started ? 'FerretDB started for this run' : 'already running';
    log(`database: ${env.MONGODB_URI.replace(/\/\/([^@/]*)@/, '//***@')} (${dbNote})`);
    if (smtp) {
      log(
        `mail:     SMTP ${env.SMTP_HOST}:${env.SMTP_PORT}; captured mail is saved as .eml files in ` +
          `${path.relative(process.cwd(), smtp.mailDir) || '.'}/ and listed in .local/logs/smtp.log` +
          (smtp.started ? '' : ' (if that server is the local capture; it was already running)'),
      );
    } else {
      log(`mail:     SMTP_HOST is set, sending through ${env.SMTP_HOST}:${env.SMTP_PORT || '(default port)'}: real delivery`);
    }
    if (twilio) {
      log(
        `twilio:   capture ${twilio.url} (provider ${env.TWILIO_PROVIDER_NAME}); captured SMS and WhatsApp ` +
          `are saved as .json files in ${path.relative(process.cwd(), twilio.smsDir) || '.'}/ and listed in .local/logs/twilio.log` +
          (twilio.started ? '' : ' (if that server is the local capture; it was already running)'),
      );
      log(`twilio:   status callbacks (queued, sent, delivered) go to PUBLIC_BASE_URL=${env.PUBLIC_BASE_URL}`);
    } else {
      log(`twilio:   ${twilioUserSet.join(', ')} set: SMS and WhatsApp go through that Twilio account: real delivery`);
    }
    if (userSet('REDIS_URL')) log(`redis:    REDIS_URL from your environment (${env.REDIS_URL.replace(/\/\/([^@/]*)@/, '//***@')})`);
    else if (redis) log(`redis:    ${redis.url} (${redis.started ? 'started for this run' : 'already running'}): rate limits shared by every instance using it`);
    else log('redis:    none: rate limits are counted in this process (`npm start -- --redis` for a local Redis)');
    log(`api:      http://localhost:${env.PORT}  (token: npm run -s token -- --sub me)`);
    if (env.CONSOLE_ENABLED?.trim().toLowerCase() !== 'false') {
      log(`console:  http://localhost:${env.PORT}/messaging/console#token=${consoleToken(env)}  (for an hour)`);
    }

    // Own process group: a terminal Ctrl+C reaches only this script, which forwards it once,
    // so the app sees one SIGINT and can shut down gracefully.
    child = spawn(process.execPath, [DIST_MAIN], { cwd: ROOT, env, stdio: 'inherit', detached: true });
  } catch (err) {
    await stopServices();
    throw err;
  }

  let requested = null;
  const forward = (signal) => {
    if (requested) {
      log(`${signal} again: killing the app`);
      child.kill('SIGKILL');
      return;
    }
    requested = signal;
    child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));
  process.on('exit', () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const [code, signal] = await new Promise((resolve) => {
    child.once('error', (err) => {
      console.error(`[start-local] could not start the app: ${err.message}`);
      resolve([1, null]);
    });
    child.once('exit', (c, s) => resolve([c, s]));
  });
  await stopServices();
  if (signal) {
    if (signal === requested) return 0; // the shutdown we asked for
    log(`app was killed by ${signal}`);
    return 1;
  }
  return code ?? 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof services.LocalServicesError ? `[local-services] ${err.message}` : `[start-local] ${err.message}`);
    process.exit(1);
  },
);
