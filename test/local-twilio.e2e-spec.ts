import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { bearer } from './helpers/tokens.js';
import twilio from 'twilio';

/** scripts/lib/twilio-capture.cjs: the capture server `npm start` runs (here in-process, on a free port). */
interface TwilioCapture {
  url: string;
  close(): Promise<void>;
}
interface TwilioCaptureModule {
  createTwilioCaptureServer: (options: { port: number; dir: string; log: (line: string) => void; callbackStepMs?: number }) => Promise<TwilioCapture>;
}
/** scripts/lib/twilio-service.cjs: the variables start-local gives the app. */
interface TwilioServiceModule {
  localTwilioEnv: (url: string) => Record<string, string>;
}
const load = createRequire(import.meta.url);
const { createTwilioCaptureServer } = load('../scripts/lib/twilio-capture.cjs') as TwilioCaptureModule;
const { localTwilioEnv } = load('../scripts/lib/twilio-service.cjs') as TwilioServiceModule;

/** What the capture writes for each message (one JSON file). */
interface CapturedFile {
  sid: string;
  channel: string;
  request: Record<string, string | string[]>;
  response: { sid: string; status: string };
}

const SID = /^SM[0-9a-f]{32}$/;
const databaseUri = testDatabaseUri('local-twilio');
let dir: string;
let capture: TwilioCapture;
let logs: MessageLogReader;
let app: RunningApp;
const captureLog: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'fluxkit-sms-'));
  capture = await createTwilioCaptureServer({ port: 0, dir, log: (line) => captureLog.push(line), callbackStepMs: 20 });
  logs = await MessageLogReader.open(databaseUri);
  app = await startApp({ MONGODB_URI: databaseUri, ...localTwilioEnv(capture.url) });
});
afterAll(async () => {
  await app.stop();
  await logs.close();
  await capture.close();
  await dropTestDatabase(databaseUri);
  rmSync(dir, { recursive: true, force: true });
});

/** The file the capture wrote for `sid`: `<time>-<sid>.json`. */
function capturedFile(sid: string): CapturedFile {
  const names = readdirSync(dir).filter((name) => name.endsWith(`-${sid}.json`));
  expect(names).toHaveLength(1);
  expect(names[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-SM[0-9a-f]{32}\.json$/);
  return JSON.parse(readFileSync(path.join(dir, names[0] ?? ''), 'utf8')) as CapturedFile;
}

describe('the local Twilio capture with the real app', () => {
  it('captures an SMS: 200 with an SM… SID, one JSON file with To, From and Body, no body in its log line', async () => {
    const body = 'Your verification code is 482901';
    const response = await request<{ messageId: string }>(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'local-sms' }),
      body: { to: '+14155550100', body },
    });

    expect(response.status).toBe(200);
    expect(response.body.messageId).toMatch(SID);
    expect(response.body).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) as string, messageId: response.body.messageId, status: 'sent', channel: 'sms', to: '+14155550100', segments: 1 });
    const file = capturedFile(response.body.messageId);
    expect(file).toMatchObject({ sid: response.body.messageId, channel: 'sms', response: { status: 'queued' } });
    expect(file.request).toEqual({ To: '+14155550100', From: '+15005550006', Body: body });
    const line = captureLog.find((l) => l.includes(response.body.messageId));
    expect(line).toContain('to=+14155550100');
    expect(line).not.toContain(body);
  });

  it('captures a WhatsApp message with media: whatsapp: numbers and the MediaUrl in the file', async () => {
    const response = await request<{ messageId: string }>(`${app.url}/messaging/whatsapp`, {
      headers: bearer({ sub: 'local-whatsapp' }),
      body: { to: '+14155550101', body: 'Your invoice', media: { url: 'https://cdn.example.com/invoice-42.pdf' } },
    });

    expect(response.status).toBe(200);
    expect(response.body.messageId).toMatch(SID);
    const file = capturedFile(response.body.messageId);
    expect(file.channel).toBe('whatsapp');
    expect(file.request).toEqual({
      To: 'whatsapp:+14155550101',
      From: 'whatsapp:+15005550006',
      Body: 'Your invoice',
      MediaUrl: 'https://cdn.example.com/invoice-42.pdf',
    });
  });

  it('names the provider twilio-local-capture in health and on log rows, not twilio', async () => {
    const health = await request<{ providers: Record<string, unknown> }>(`${app.url}/messaging/health`);
    expect(health.body.providers['sms']).toEqual({ provider: 'twilio-local-capture', status: 'connected' });
    expect(health.body.providers['whatsapp']).toEqual({ provider: 'twilio-local-capture', status: 'connected' });
    expect(await logs.byRequester('local-sms')).toEqual([
      expect.objectContaining({ channel: 'sms', status: 'sent', provider: 'twilio-local-capture' }),
    ]);
  });

  it("answers Twilio's own refusals: wrong credentials 401 / 20003, no To 400 / 21604, nothing written", async () => {
    const { TWILIO_ACCOUNT_SID: sid = '', TWILIO_AUTH_TOKEN: token = '' } = localTwilioEnv(capture.url);
    const messages = `${capture.url}/2010-04-01/Accounts/${sid}/Messages.json`;
    const post = (secret: string, form: string) =>
      request(messages, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${sid}:${secret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        rawBody: form,
      });
    const before = readdirSync(dir).length;

    expect(await post('wrong', 'To=%2B1555&From=%2B1666&Body=x')).toMatchObject({ status: 401, body: { code: 20003 } });
    expect(await post(token, 'From=%2B1666&Body=x')).toMatchObject({ status: 400, body: { code: 21604 } });
    expect(readdirSync(dir)).toHaveLength(before);
  });

  it('posts signed status callbacks queued -> sent -> delivered to the StatusCallback of a create', async () => {
    const posts: Array<{ signature: string; params: Record<string, string> }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        posts.push({ signature: String(req.headers['x-twilio-signature']), params: Object.fromEntries(new URLSearchParams(body)) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const callbackUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/messaging/webhooks/twilio/status`;
      const { TWILIO_ACCOUNT_SID: sid = '', TWILIO_AUTH_TOKEN: token = '' } = localTwilioEnv(capture.url);
      const form = new URLSearchParams({ To: '+14155550102', From: '+15005550006', Body: 'x', StatusCallback: callbackUrl });
      const created = await request<{ sid: string }>(`${capture.url}/2010-04-01/Accounts/${sid}/Messages.json`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        rawBody: form.toString(),
      });
      expect(created.status).toBe(201);

      for (let waited = 0; posts.length < 3 && waited < 5_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(posts.map((p) => p.params['MessageStatus'])).toEqual(['queued', 'sent', 'delivered']);
      for (const { signature, params } of posts) {
        expect(params).toMatchObject({ AccountSid: sid, MessageSid: created.body.sid, To: '+14155550102', From: '+15005550006' });
        expect(twilio.validateRequest(token, signature, callbackUrl, params)).toBe(true);
        // The signature covers the parameters: a changed status no longer validates.
        expect(twilio.validateRequest(token, signature, callbackUrl, { ...params, MessageStatus: 'failed' })).toBe(false);
      }
    } finally {
      receiver.closeAllConnections();
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });
});
