import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { TEST_JWT_SECRET } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import {
  installHostApp,
  packLibrary,
  runHostExpectingExit,
  runHostScript,
  startHost,
  type PackedLibrary,
  type RunningHost,
} from './helpers/library-host.js';
import { SmtpSink } from './helpers/smtp-sink.js';
import { bearer } from './helpers/tokens.js';

/**
 * MessagingModule as a library: the package is compiled, packed with npm pack,
 * installed into a copy of examples/host-app (its own package.json, its own
 * tsc: the TypeScript `npm i -D typescript` installs, skipLibCheck off,
 * noUnusedLocals on; no @nestjs/swagger, bullmq or ioredis; a global
 * `ValidationPipe({ whitelist: true, transform: true })`), and that host app
 * runs against the test database, a real SMTP server and the
 * Twilio-compatible fake. Slow (npm install): generous timeouts.
 */

const SETUP_TIMEOUT_MS = 600_000;
const TEST_TIMEOUT_MS = 60_000;
const SMS_FROM = '+15550001111';
const API_KEY = 'host-api-key-0123456789';
type Json = Record<string, unknown>;

let work: string;
let packed: PackedLibrary;
let appDir: string;
let installOutput: string;
let sink: SmtpSink;
let twilio: FakeTwilio;
let databaseUri: string;

function hostEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_URI: databaseUri,
    JWT_SECRET: TEST_JWT_SECRET,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(sink.port),
    EMAIL_FROM: 'Library Test <library@example.com>',
    ...twilio.env(),
    TWILIO_SMS_FROM: SMS_FROM,
    TWILIO_WHATSAPP_FROM: '+15550002222',
    ...extra,
  };
}

/** Starts the host with `extra` variables, runs `body`, and always stops it. */
async function withHost(extra: Record<string, string>, body: (host: RunningHost) => Promise<void>): Promise<void> {
  const host = await startHost(appDir, hostEnv(extra));
  try {
    await body(host);
  } finally {
    await host.stop();
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'fluxkit-library-'));
  packed = await packLibrary(work);
  ({ dir: appDir, installOutput } = await installHostApp(work));
  [sink, twilio] = await Promise.all([SmtpSink.start(), FakeTwilio.start()]);
  databaseUri = testDatabaseUri('library');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([sink?.stop(), twilio?.stop()]);
  if (databaseUri) await dropTestDatabase(databaseUri);
  if (work) await rm(work, { recursive: true, force: true });
}, TEST_TIMEOUT_MS);

describe('the packed package', () => {
  it('holds the compiled JS, type declarations and default templates, and no sources or tests', () => {
    expect(packed.files).toEqual(
      expect.arrayContaining(['package.json', 'dist/messaging/index.js', 'dist/messaging/index.d.ts']),
    );
    expect(packed.files).toContain('templates/welcome/template.json');
    const forbidden = packed.files.filter((file) =>
      /(^|\/)(src|test|tools|examples|\.local)\/|\.spec\.|\.e2e-spec\.|\.ts$(?<!\.d\.ts)|\.map$/.test(file),
    );
    expect(forbidden).toEqual([]);
  });

  it('leaves Nest, Mongoose, RxJS and class-validator to the host as peer dependencies', () => {
    const peers = Object.keys(packed.manifest['peerDependencies'] as Json);
    const dependencies = Object.keys(packed.manifest['dependencies'] as Json);
    for (const name of ['@nestjs/common', '@nestjs/core', '@nestjs/mongoose', 'mongoose', 'rxjs', 'reflect-metadata']) {
      expect(peers).toContain(name);
    }
    expect(dependencies.filter((name) => name.startsWith('@nestjs/') || name === 'mongoose' || name === 'rxjs')).toEqual([]);
  });

  it('makes what a host may not want optional peers: the OpenAPI decorators, and Redis (bullmq, ioredis)', () => {
    const peers = packed.manifest['peerDependencies'] as Json;
    const optional = packed.manifest['peerDependenciesMeta'] as Record<string, { optional?: boolean }>;
    const dependencies = Object.keys(packed.manifest['dependencies'] as Json);
    for (const name of ['@nestjs/swagger', 'bullmq', 'ioredis']) {
      expect(peers).toHaveProperty([name]);
      expect(optional[name]).toEqual({ optional: true });
    }
    // @fastify/static only serves the standalone service's docs UI.
    expect(dependencies.filter((name) => ['@nestjs/swagger', 'bullmq', 'ioredis', '@fastify/static'].includes(name))).toEqual([]);
  });
});

describe('installing into a fresh Nest host', () => {
  it('installs next to the TypeScript `npm i -D typescript` gives and compiles with skipLibCheck off', async () => {
    // The host compiled in beforeAll (installHostApp throws on any diagnostic); here: under which settings.
    const fixture = JSON.parse(await readFile(path.join(appDir, 'package.json'), 'utf8')) as { devDependencies: Json };
    const installed = JSON.parse(await readFile(path.join(appDir, 'node_modules/typescript/package.json'), 'utf8')) as Json;
    expect(installed['version']).toBe(fixture.devDependencies['typescript']);
    expect(String(installed['version'])).toMatch(/^7\./);
    const build = JSON.parse(await readFile(path.join(appDir, 'tsconfig.json'), 'utf8')) as { compilerOptions: Json };
    expect(build.compilerOptions).toMatchObject({ noUnusedLocals: true, strict: true });
    // The files that import @fluxkit/messaging but not @nestjs-modules/mailer (whose own declarations fail a lib check).
    const libCheck = JSON.parse(await readFile(path.join(appDir, 'tsconfig.lib-check.json'), 'utf8')) as { compilerOptions: Json };
    expect(libCheck.compilerOptions).toMatchObject({ skipLibCheck: false });
  });

  it('brings no optional peer, no install-script package and nothing that declares a newer Node than ours', async () => {
    for (const name of ['@nestjs/swagger', 'swagger-ui-dist', '@scarf/scarf', 'bullmq', 'ioredis', 'msgpackr-extract', '@fastify/static']) {
      expect([name, existsSync(path.join(appDir, 'node_modules', name))]).toEqual([name, false]);
    }
    // EBADENGINE warnings may come from Nest's own tree (see README); none from ours.
    const ours = await dependencyTree(appDir, '@fluxkit/messaging');
    const refused = [...installOutput.matchAll(/EBADENGINE\s+package: '(@?[^@']+)@/g)].map((match) => match[1]);
    expect(refused.filter((name) => name !== undefined && ours.has(name))).toEqual([]);
    expect(ours.size).toBeGreaterThan(10);
  });
});

describe('a host app with JWT auth and the built-in providers', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost(appDir, hostEnv());
  }, TEST_TIMEOUT_MS);
  afterAll(() => host?.stop());
  beforeEach(() => {
    sink.reset();
    twilio.reset();
  });

  it('serves the messaging endpoints under /messaging: email over SMTP, SMS over Twilio, logs, health', async () => {
    const email = await request<Json>(`${host.url}/messaging/email`, {
      headers: bearer(),
      body: { to: 'ada@example.com', subject: 'From the host', body: '<p>Hi</p>' },
    });
    expect(email).toMatchObject({ status: 200, body: { status: 'sent', channel: 'email', to: 'ada@example.com' } });
    const [mail] = await sink.waitForMessages(1);
    expect(mail?.mail.subject).toBe('From the host');

    const sms = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), body: { to: '+15557654321', body: 'hi' } });
    expect(sms).toMatchObject({ status: 200, body: { status: 'sent', channel: 'sms' } });
    expect(twilio.messageRequests()[0]?.fields).toMatchObject({ To: '+15557654321', From: SMS_FROM });

    const logs = await request<{ logs: Json[] }>(`${host.url}/messaging/logs?channel=sms`, { headers: bearer() });
    expect(logs.body.logs[0]).toMatchObject({ to: '+15557654321', status: 'sent', provider: 'twilio' });
    const health = await request<Json>(`${host.url}/messaging/health`);
    expect(health.body).toMatchObject({ providers: { email: { provider: 'smtp', status: 'connected' } } });
    const anonymous = await request<Json>(`${host.url}/messaging/sms`, { body: { to: '+15557654321', body: 'x' } });
    expect(anonymous).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
  }, TEST_TIMEOUT_MS);

  it("answers 415 on the module's routes to bodies the host's parsers read but are not JSON (form, text, gzip)", async () => {
    const cases: Array<[string, Record<string, string>, string]> = [
      ['/messaging/email', { 'content-type': 'application/x-www-form-urlencoded' }, 'to=a@example.com&to=b@example.com&subject=s&body=b'],
      ['/messaging/sms', { 'content-type': 'text/plain' }, JSON.stringify({ to: '+15557654321', body: 'hi' })],
      ['/messaging/sms', { 'content-type': 'application/json; charset=latin1' }, JSON.stringify({ to: '+15557654321', body: 'hi' })],
      ['/messaging/sms', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, JSON.stringify({ to: '+15557654321', body: 'hi' })],
    ];
    for (const [route, headers, body] of cases) {
      const answer = await request<Json>(`${host.url}${route}`, { headers: { ...bearer(), ...headers }, rawBody: body });
      expect({ route, headers, answer }).toMatchObject({ route, headers, answer: { status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } } });
    }
    expect(twilio.messageRequests()).toEqual([]);
    expect(sink.recipientAttempts).toEqual([]);
  }, TEST_TIMEOUT_MS);

  it("refuses 115,000 unknown keys before the host's global ValidationPipe: hostile/plain time ratio of one run", async () => {
    const keys = Array.from({ length: 115_000 }, (_, i) => `"${i.toString(36)}":0`).join(',');
    const items = `"x":[${Array.from({ length: 115_000 }, (_, i) => `"${i.toString(36)}"`).join(',')}]`;
    const time = async (members: string) => {
      const started = performance.now();
      const answer = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), rawBody: `{"to":"+15557654321","body":"b",${members}}` });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
      return performance.now() - started;
    };
    const times = { hostile: [] as number[], plain: [] as number[] };
    for (let round = 0; round < 3; round++) {
      times.plain.push(await time(items));
      times.hostile.push(await time(keys));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] ?? NaN;
    expect(median(times.hostile) / median(times.plain)).toBeLessThan(4);
  }, 180_000);

  it('sends from the host code through the injected EmailService, SmsService and LogsService', async () => {
    const welcome = await request<Json>(`${host.url}/welcome/Ada`, { body: { email: 'ada@example.com' } });
    expect(welcome).toMatchObject({ status: 202, body: { welcomed: 'Ada' } });
    const [mail] = await sink.waitForMessages(1);
    expect(mail?.mail.subject).toBe('Welcome to Host App, Ada!');
    expect(mail?.envelope.to).toEqual(['ada@example.com']);

    expect((await request(`${host.url}/otp`, { body: { phone: '+15551230000' } })).status).toBe(202);
    expect(twilio.messageRequests()[0]?.fields).toMatchObject({ To: '+15551230000', Body: 'Your code is 482901' });

    const report = await request<{ logs: Json[] }>(`${host.url}/reports/emails`);
    expect(report.body.logs[0]).toMatchObject({ template: 'welcome', status: 'sent', to: 'ada@example.com' });
  }, TEST_TIMEOUT_MS);

  it("leaves the host's own routes as they were: no auth, its own validation, Nest's error shape", async () => {
    expect(await request(`${host.url}/ping`)).toMatchObject({ status: 200, body: { pong: true } });
    // The host's pipe whitelists without forbidding: an unknown field is dropped (ours refuses it).
    const note = await request(`${host.url}/notes`, { body: { title: 'Groceries', colour: 'green' } });
    expect(note).toMatchObject({ status: 201, body: { note: { title: 'Groceries' } } });
    expect(note.body).not.toHaveProperty('note.colour');
    const invalid = await request<Json>(`${host.url}/notes`, { body: { title: '' } });
    expect(invalid).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
    expect(invalid.body['message']).toEqual(expect.arrayContaining(['title should not be empty']));
    const unknown = await request<Json>(`${host.url}/no-such-route`);
    expect(unknown.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'Cannot GET /no-such-route' });
    const malformed = await request<Json>(`${host.url}/notes`, { rawBody: '{"title":' });
    expect(malformed.body).toMatchObject({ statusCode: 400 });
    expect(malformed.body).not.toHaveProperty('error.code');
    // ...while the module's routes keep their strict pipe and envelope.
    const strict = await request<Json>(`${host.url}/messaging/sms`, {
      headers: bearer(),
      body: { to: '+15557654321', body: 'hi', colour: 'green' },
    });
    expect(strict).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
  }, TEST_TIMEOUT_MS);

  it("keeps the module's validation under the host's global ValidationPipe({ whitelist: true, transform: true })", async () => {
    const unknown = await request<Json>(`${host.url}/messaging/sms`, {
      headers: bearer(),
      body: { to: '+15557654321', body: 'hi', colour: 'green' },
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'colour' }] } } } });
    const email = await request<Json>(`${host.url}/messaging/email`, {
      headers: bearer(),
      body: { to: 'ada@example.com', subject: 'Hi', body: '<p>Hi</p>', bcc_all: 'eve@example.com' },
    });
    expect(email).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'bcc_all' }] } } } });
    const missing = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), body: { to: '+15557654321' } });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'body' }] } } } });
    const query = await request<Json>(`${host.url}/messaging/logs?limit=abc`, { headers: bearer() });
    expect(query).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'limit' }] } } } });
    const id = await request<Json>(`${host.url}/messaging/logs/not-an-id`, { headers: bearer() });
    expect(id).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'id' }] } } } });
    expect(twilio.requestCount('messages')).toBe(0);
    expect(sink.messages).toHaveLength(0);
  }, TEST_TIMEOUT_MS);

  it("answers errors raised before the module's code (malformed JSON, too large) in the envelope", async () => {
    const malformed = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), rawBody: '{"to":' });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' } } });
    const huge = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), body: { to: '+15557654321', body: 'x'.repeat(1_100_000) } });
    expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    expect(twilio.requestCount('messages')).toBe(0);
  }, TEST_TIMEOUT_MS);

  it('accepts a token minted in the host with @nestjs/jwt, as the README shows', async () => {
    const token = (await runHostScript(appDir, 'mint-token', ['billing-service'], { JWT_SECRET: TEST_JWT_SECRET })).trim();
    const sms = await request<Json>(`${host.url}/messaging/sms`, {
      headers: { authorization: `Bearer ${token}` },
      body: { to: '+15550003333', body: 'hi' },
    });
    expect(sms).toMatchObject({ status: 200, body: { status: 'sent' } });
    expect(twilio.messageRequests()[0]?.fields).toMatchObject({ To: '+15550003333' });
  }, TEST_TIMEOUT_MS);

  it("keeps the host's own @nestjs-modules/mailer working beside the module", async () => {
    expect((await request(`${host.url}/contact`, { body: { to: 'support@example.com', message: 'Hello' } })).status).toBe(202);
    const [mail] = await sink.waitForMessages(1);
    expect(mail?.mail.subject).toBe('Contact form');
    expect(mail?.envelope.from).toBe('host@example.com');
  }, TEST_TIMEOUT_MS);
});

describe('options that shape the module', () => {
  beforeEach(() => twilio.reset());

  it('sends SMS through a host-supplied provider in place of Twilio (WhatsApp stays on Twilio)', async () => {
    await withHost({ HOST_SMS_PROVIDER: 'outbox' }, async (host) => {
      const sms = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), body: { to: '+15550009999', body: 'hi' } });
      expect(sms.status).toBe(200);
      expect(String(sms.body['messageId'])).toMatch(/^outbox-/);
      expect((await request(`${host.url}/otp`, { body: { phone: '+15550008888' } })).status).toBe(202);
      expect(twilio.requestCount('messages')).toBe(0);
      const outbox = await request<{ messages: Json[] }>(`${host.url}/outbox`);
      expect(outbox.body.messages.map((m) => m['to'])).toEqual(['+15550009999', '+15550008888']);
      const health = await request<Json>(`${host.url}/messaging/health`);
      expect(health.body).toMatchObject({ providers: { sms: { provider: 'host-outbox', status: 'connected' } } });
      const whatsapp = await request(`${host.url}/messaging/whatsapp`, { headers: bearer(), body: { to: '+15550007777', body: 'hi' } });
      expect(whatsapp.status).toBe(200);
      expect(twilio.requestCount('messages')).toBe(1);
    });
  }, TEST_TIMEOUT_MS);

  it('fails over between host-supplied providers listed in order (providers: { sms: [A, B] })', async () => {
    await withHost({ HOST_SMS_PROVIDER: 'failover' }, async (host) => {
      const sms = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), body: { to: '+15550005555', body: 'hi' } });
      expect(sms.status).toBe(200);
      expect(String(sms.body['messageId'])).toMatch(/^outbox-/);
      expect(twilio.requestCount('messages')).toBe(0);
      const page = await request<{ logs: Json[] }>(`${host.url}/messaging/logs?to=%2B15550005555`, { headers: bearer() });
      expect(page.body.logs[0]).toMatchObject({
        provider: 'host-outbox',
        attempts: [
          { provider: 'host-unreachable', outcome: 'failed', error: { code: 'SEND_FAILED', message: 'Failed to send sms: the vendor is unreachable' } },
          { provider: 'host-outbox', outcome: 'sent' },
        ],
      });
      const health = await request<Json>(`${host.url}/messaging/health`);
      expect(health.body).toMatchObject({
        status: 'degraded',
        providers: {
          sms: { provider: 'host-unreachable', status: 'disconnected', failover: [{ provider: 'host-outbox', status: 'connected' }], channelStatus: 'connected' },
        },
      });
    });
  }, TEST_TIMEOUT_MS);

  it("authenticates the module's routes with a host-supplied guard instead of JWTs", async () => {
    await withHost({ HOST_AUTH: 'api-key', HOST_API_KEY: API_KEY, JWT_SECRET: '' }, async (host) => {
      const body = { to: '+15550006666', body: 'hi' };
      const allowed = await request(`${host.url}/messaging/sms`, { headers: { 'x-api-key': API_KEY }, body });
      expect(allowed.status).toBe(200);
      for (const headers of [bearer(), { 'x-api-key': 'wrong-key-0123456789abc' }]) {
        const refused = await request<Json>(`${host.url}/messaging/sms`, { headers, body });
        expect(refused).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      }
      expect(twilio.requestCount('messages')).toBe(1);
    });
  }, TEST_TIMEOUT_MS);

  it("answers pre-handler errors in the envelope on the module's routes, in the host filter's shape on the host's", async () => {
    await withHost({ HOST_EXCEPTION_FILTER: 'true' }, async (host) => {
      const ours = await request<Json>(`${host.url}/messaging/sms`, { headers: bearer(), rawBody: '{"to":' });
      expect(ours).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' } } });
      const unauthorized = await request<Json>(`${host.url}/messaging/sms`, { body: { to: '+15557654321', body: 'x' } });
      expect(unauthorized).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
      const theirs = await request<Json>(`${host.url}/notes`, { rawBody: '{"title":' });
      expect(theirs).toMatchObject({ status: 400, body: { hostError: { status: 400 } } });
      const unknown = await request<Json>(`${host.url}/no-such-route`);
      expect(unknown).toMatchObject({ status: 404, body: { hostError: { status: 404 } } });
    });
  }, TEST_TIMEOUT_MS);

  it('mounts the routes under routePrefix, and registers none with controllers: false', async () => {
    await withHost({ MESSAGING_ROUTE_PREFIX: 'api/notify' }, async (host) => {
      expect((await request(`${host.url}/api/notify/health`)).status).toBe(200);
      const sms = await request(`${host.url}/api/notify/sms`, { headers: bearer(), body: { to: '+15550005555', body: 'hi' } });
      expect(sms.status).toBe(200);
      expect((await request(`${host.url}/messaging/health`)).status).toBe(404);
    });
    // Services only: no routes, and no auth option needed.
    await withHost({ MESSAGING_CONTROLLERS: 'false', JWT_SECRET: '' }, async (host) => {
      expect(await request(`${host.url}/messaging/health`)).toMatchObject({ status: 404, body: { statusCode: 404 } });
      expect((await request(`${host.url}/otp`, { body: { phone: '+15550004444' } })).status).toBe(202);
      expect(twilio.messageRequests().at(-1)?.fields).toMatchObject({ To: '+15550004444' });
    });
  }, TEST_TIMEOUT_MS);

  it.each([
    ['no JWT secret', { JWT_SECRET: '' }, 'MessagingModule options: auth.jwtSecret is required'],
    ['a short JWT secret', { JWT_SECRET: 'short' }, 'MessagingModule options: auth.jwtSecret must be a string of at least 32'],
    ['a bad Twilio SID', { TWILIO_ACCOUNT_SID: 'AC-nope' }, 'twilio.accountSid must be "AC" followed by 32 hex digits'],
    [
      'the redis option without bullmq and ioredis installed',
      { REDIS_URL: 'redis://127.0.0.1:6379' },
      'the redis option needs the optional peer dependencies bullmq and ioredis: npm install bullmq ioredis',
    ],
  ])('stops the host at boot on %s, naming the option', async (_label, extra, message) => {
    const result = await runHostExpectingExit(appDir, hostEnv(extra));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(message);
    expect(result.output).not.toContain('Listening on port');
  }, TEST_TIMEOUT_MS);
});

const run = promisify(execFile);

/** Names of every package installed under `root` in the app's tree (`npm ls --all`). */
async function dependencyTree(dir: string, root: string): Promise<Set<string>> {
  interface Node {
    dependencies?: Record<string, Node>;
  }
  const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout: string }) => ({ stdout: error.stdout }), // npm ls exits 1 on any peer warning; the JSON is still whole
  );
  const names = new Set<string>();
  const walk = (node: Node | undefined) => {
    for (const [name, child] of Object.entries(node?.dependencies ?? {})) {
      if (names.has(name)) continue;
      names.add(name);
      walk(child);
    }
  };
  walk((JSON.parse(stdout) as Node).dependencies?.[root]);
  return names;
}
