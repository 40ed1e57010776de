import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { TEST_JWT_SECRET } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

interface LocalServices {
  findFreePort(): Promise<number>;
  isPortOpen(port: number): Promise<boolean>;
  SMS_DIR: string;
}
const services = createRequire(import.meta.url)('../scripts/local-services.cjs') as LocalServices;

/** `npm start` (scripts/start-local.mjs) as a user runs it, with ports chosen here and its output kept. */
interface StartLocal {
  child: ChildProcess;
  output(): string;
  /** Resolves with the printed line's URL once the app listens. */
  ready: Promise<string>;
  exited: Promise<number | null>;
}

const databaseUri = testDatabaseUri('start-local');
let run: StartLocal | undefined;

/** Starts scripts/start-local.mjs with the caller's variables; nothing of the shell's Twilio or SMTP leaks in. */
function startLocal(args: string[], env: Record<string, string>): StartLocal {
  const childEnv: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', JWT_SECRET: TEST_JWT_SECRET };
  for (const name of Object.keys(childEnv)) if (/^(TWILIO_|SMTP_|REDIS_URL)/.test(name)) delete childEnv[name];
  // Mail goes to a closed loopback port: this spec is about SMS and WhatsApp, and must not touch a shared 1025.
  Object.assign(childEnv, { SMTP_HOST: '127.0.0.1', SMTP_PORT: '9', EMAIL_FROM: 'a@localhost', MONGODB_URI: databaseUri }, env);
  const child = spawn(process.execPath, ['scripts/start-local.mjs', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${output}`)), 60_000);
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const api = /\[start-local\] api: +(http:\/\/\S+)/.exec(output);
      if (api?.[1] && /Listening on port/.test(output)) {
        clearTimeout(timer);
        resolve(api[1]);
      }
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited before it was ready:\n${output}`));
    });
  });
  run = { child, output: () => output, ready, exited };
  return run;
}

/** Ctrl+C, as in a terminal: the script forwards it to the app, then stops the services it started. */
async function interrupt(started: StartLocal): Promise<number | null> {
  started.child.kill('SIGINT');
  return started.exited;
}

afterEach(async () => {
  if (run && run.child.exitCode === null && run.child.signalCode === null) await interrupt(run);
  run = undefined;
});
afterAll(() => dropTestDatabase(databaseUri));

describe('npm start (scripts/start-local.mjs)', () => {
  it('starts the Twilio capture, points SMS and WhatsApp at it, prints the console link, and stops on Ctrl+C', async () => {
    const [appPort, twilioPort] = [await services.findFreePort(), await services.findFreePort()];
    const started = startLocal(['--twilio-port', String(twilioPort)], { PORT: String(appPort) });
    const url = await started.ready;
    expect(url).toBe(`http://localhost:${appPort}`);
    expect(started.output()).toContain(`twilio:   capture http://127.0.0.1:${twilioPort} (provider twilio-local-capture)`);
    // The app asks the capture for status callbacks at its own address.
    expect(started.output()).toContain(`status callbacks (queued, sent, delivered) go to PUBLIC_BASE_URL=http://127.0.0.1:${appPort}`);

    const sms = await request<{ messageId: string }>(`${url}/messaging/sms`, {
      headers: bearer(),
      body: { to: '+14155550100', body: 'Hello from npm start' },
    });
    expect(sms.status).toBe(200);
    expect(sms.body.messageId).toMatch(/^SM[0-9a-f]{32}$/);
    const file = readdirSync(services.SMS_DIR).find((name) => name.endsWith(`-${sms.body.messageId}.json`)) ?? '';
    const captured = path.join(services.SMS_DIR, file);
    try {
      expect(file).not.toBe('');
      expect(JSON.parse(readFileSync(captured, 'utf8'))).toMatchObject({
        request: { To: '+14155550100', From: '+15005550006', Body: 'Hello from npm start' },
      });
    } finally {
      if (file) rmSync(captured, { force: true });
    }
    const health = await request<{ providers: Record<string, unknown> }>(`${url}/messaging/health`);
    expect(health.body.providers['whatsapp']).toEqual({ provider: 'twilio-local-capture', status: 'connected' });

    // The console link: the page, and in its fragment (never sent to a server) a short-lived token that
    // reads the activity feed the send above just filled.
    const link = /\[start-local\] console: +(http:\/\/\S+)/.exec(started.output())?.[1] ?? '';
    const [page, fragment] = link.split('#', 2);
    expect(page).toBe(`${url}/messaging/console`);
    const token = /^token=([\w.-]+)$/.exec(fragment ?? '')?.[1] ?? '';
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(3600);
    const consolePage = await fetch(page ?? '');
    expect(consolePage.status).toBe(200);
    expect(consolePage.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const feed = await request<{ logs: Array<{ messageId?: string }> }>(`${url}/messaging/logs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(feed.body.logs.map((row) => row.messageId)).toContain(sms.body.messageId);

    expect(await interrupt(started)).toBe(0);
    expect(started.output()).toMatch(new RegExp(`stopped twilio \\(pid \\d+, 127\\.0\\.0\\.1:${twilioPort}\\)`));
    expect(await services.isPortOpen(twilioPort)).toBe(false);
  });

  it('starts no capture when TWILIO_ACCOUNT_SID and friends are set: the Twilio the user names wins', async () => {
    const twilio = await FakeTwilio.start();
    try {
      const [appPort, twilioPort] = [await services.findFreePort(), await services.findFreePort()];
      const started = startLocal(['--twilio-port', String(twilioPort)], {
        PORT: String(appPort),
        ...twilio.env(),
        TWILIO_SMS_FROM: '+15551234567',
      });
      const url = await started.ready;
      expect(started.output()).toContain('TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL set');
      expect(await services.isPortOpen(twilioPort)).toBe(false);

      const sms = await request(`${url}/messaging/sms`, { headers: bearer(), body: { to: '+14155550100', body: 'hi' } });
      expect(sms.status).toBe(200);
      expect(twilio.messageRequests()[0]?.fields).toMatchObject({ From: '+15551234567' });
      const health = await request<{ providers: Record<string, unknown> }>(`${url}/messaging/health`);
      expect(health.body.providers['sms']).toEqual({ provider: 'twilio', status: 'connected' });
      expect(await interrupt(started)).toBe(0);
    } finally {
      await twilio.stop();
    }
  });
});
