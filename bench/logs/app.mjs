/**
 * The built standalone app as a child process, and bearer tokens for it.
 * APP_MAIN selects another build (default dist/main.js), as in the e2e tests.
 */
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The folder holding package.json of @fluxkit/messaging, found by walking up (no assumption about depth). */
export function packageRoot(from = path.dirname(new URL(import.meta.url).pathname)) {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === '@fluxkit/messaging') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json of @fluxkit/messaging not found above bench/logs');
    dir = parent;
  }
}

/** An HS256 JWT, signed the way clients of the API sign theirs. */
export function signToken(secret, subject = 'bench', ttlSeconds = 24 * 3600) {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: subject, iat: now, exp: now + ttlSeconds })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/**
 * Starts the app on a free port against `mongodbUri`, with the throttle
 * raised out of the way, and resolves once it listens and has reported its
 * message log indexes (so every scenario runs with them in place).
 */
export async function startApp({ mongodbUri, indexTimeoutMs }) {
  const root = packageRoot();
  const main = path.resolve(root, process.env.APP_MAIN ?? 'dist/main.js');
  if (!fs.existsSync(main)) {
    throw new Error(`${path.relative(root, main)} does not exist: run \`npm run build\` first (or set APP_MAIN)`);
  }
  const jwtSecret = randomBytes(32).toString('hex');
  const env = {
    PATH: process.env.PATH ?? '',
    NO_COLOR: '1',
    PORT: '0',
    MONGODB_URI: mongodbUri,
    JWT_SECRET: jwtSecret,
    THROTTLE_LIMIT: '1000000',
    THROTTLE_TTL_MS: '60000',
  };
  const child = spawn(process.execPath, [main], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk.toString()));
  child.stderr.on('data', (chunk) => (output += chunk.toString()));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const started = Date.now();
    const port = Number((await waitFor(() => /Listening on port (\d+)/.exec(output), exited, 60_000, () => output))[1]);
    const indexLine = (await waitFor(() => /Message log indexes ready[^\n]*/.exec(output), exited, indexTimeoutMs, () => output))[0];
    const indexSeconds = (Date.now() - started) / 1000;
    return { url: `http://127.0.0.1:${port}`, token: signToken(jwtSecret), indexLine, indexSeconds, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitFor(check, exited, timeoutMs, output) {
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    const found = check();
    if (found) return found;
    if (gone) throw new Error(`the app exited:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for the app:\n${output()}`);
}
