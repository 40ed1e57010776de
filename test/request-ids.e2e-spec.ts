import type { RunningApp } from './helpers/app-process.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { jsonLines, waitForLine, type LogLine } from './helpers/log-lines.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer, signToken } from './helpers/tokens.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Request ids (X-Request-Id in, out, on the log row, on the queue job, in every log line) and the
 * JSON log lines themselves, on the built app with Redis, SMTP and the Twilio fake.
 */
describe('request ids and structured logs', () => {
  const environment = testEnvironment({ name: 'request-ids', smtp: true, twilio: true, redis: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await environment.startApp({ LOG_LEVEL: 'trace', TWILIO_MAX_RETRIES: '1', TWILIO_RETRY_BACKOFF_MS: '10' });
    // Past the startup lines (index builds, workers), so a test sees only the lines of its requests.
    await waitForLine(() => app.output(), (line) => String(line.msg).startsWith('Message log indexes ready'), 30_000);
    await waitForLine(() => app.output(), (line) => line.msg === 'Delivery worker connected to Redis', 30_000);
  });

  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers, body });

  describe('X-Request-Id', () => {
    it("keeps a valid client id and echoes it, on success and on an error envelope", async () => {
      const ok = await request(`${app.url}/messaging/health`, { headers: { 'x-request-id': 'client.trace-01_A' } });
      expect(ok.headers.get('x-request-id')).toBe('client.trace-01_A');
      const refused = await post('/sms', { to: '+15550002222', body: 'x' }, { 'x-request-id': 'no-token-1' });
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-request-id')).toBe('no-token-1');
      const unrouted = await request(`${app.url}/nowhere`, { headers: { 'x-request-id': 'unrouted-1' } });
      expect(unrouted.status).toBe(404);
      expect(unrouted.headers.get('x-request-id')).toBe('unrouted-1');
    });

    it.each([
      ['over 128 characters', 'a'.repeat(129)],
      ['with a character outside [A-Za-z0-9._-]', 'abc/def'],
    ])('replaces an id %s with a fresh UUID', async (_case, given) => {
      const response = await request(`${app.url}/messaging/health`, { headers: { 'x-request-id': given } });
      expect(response.headers.get('x-request-id')).toMatch(UUID);
    });

    it('generates a UUID when the client sends none, different for each request', async () => {
      const first = (await request(`${app.url}/messaging/health`)).headers.get('x-request-id');
      const second = (await request(`${app.url}/messaging/health`)).headers.get('x-request-id');
      expect(first).toMatch(UUID);
      expect(second).toMatch(UUID);
      expect(first).not.toBe(second);
    });
  });

  it('follows a queued send from the API through the queue job and the worker to the log row', async () => {
    const requestId = 'queued-trace-42';
    environment.twilio.failNext(faults.invalidNumber());
    const accepted = await post('/sms', { to: '+15550003333', body: 'queued' }, {
      ...bearer({ sub: 'request-ids' }),
      prefer: 'respond-async',
      'x-request-id': requestId,
    });
    expect(accepted.status).toBe(202);
    const id = String(accepted.body.messageId);
    const row = await environment.logs.waitFor(id, (stored) => stored.status === 'failed');
    expect(row.requestId).toBe(requestId);
    // The worker's line about this message names the request that queued it.
    const output = await waitForLine(() => app.output(), (line) => line.context === 'DeliveryWorker' && String(line.msg).includes(id));
    const workerLines = jsonLines(output).filter((line) => line.context === 'DeliveryWorker' && String(line.msg).includes(id));
    expect(workerLines.map((line) => line.requestId)).toEqual([requestId]);
  });

  it('stores the id of a synchronous send on its log row', async () => {
    const sent = await post('/email', { to: 'row@example.com', subject: 'Row', body: '<p>Row</p>' }, {
      ...bearer({ sub: 'request-ids' }),
      'x-request-id': 'sync-row-1',
    });
    expect(sent.status).toBe(200);
    const rows = await environment.logs.byRequester('request-ids');
    expect(rows.find((stored) => stored.to === 'row@example.com')?.requestId).toBe('sync-row-1');
    // The access line is printed after the answer is sent; wait for it so it cannot fall into the
    // window of the next test's lines.
    await waitForLine(() => app.output(), (line) => line.msg === 'request completed' && line.requestId === 'sync-row-1');
  });

  /** Sends, then the JSON lines printed for it: from before the request until its access line. */
  async function linesOf(requestId: string, send: () => Promise<unknown>): Promise<{ lines: LogLine[]; printed: string }> {
    const start = app.output().length;
    await send();
    const output = await waitForLine(() => app.output(), (line) => line.msg === 'request completed' && line.requestId === requestId);
    const printed = output.slice(start);
    return { lines: jsonLines(printed), printed };
  }

  it('prints JSON lines that each carry their request id, and never a token, a body or a recipient', async () => {
    const token = signToken({ sub: 'redaction-client' });
    const headers = (requestId: string) => ({ authorization: `Bearer ${token}`, 'x-request-id': requestId });
    const secrets = {
      emailTo: 'zed.unique.recipient@example.com',
      emailCc: 'cc.unique.recipient@example.com',
      subject: 'Subject-Q7X2-private',
      html: 'HTML-BODY-9F3K-one-time-code',
      smsTo: '+15557770123',
      smsBody: 'SMS-BODY-4T8W-code-731904',
    };

    const email = await linesOf('redact-email', () =>
      post('/email', { to: [secrets.emailTo], cc: [secrets.emailCc], subject: secrets.subject, body: `<p>${secrets.html}</p>` }, headers('redact-email')),
    );
    // A refused SMS (retried once, then failed) makes the provider log lines of its own in the request.
    environment.twilio.failNext(faults.serverError(), { times: 1 });
    environment.twilio.failNext(faults.invalidNumber());
    const sms = await linesOf('redact-sms', () => post('/sms', { to: secrets.smsTo, body: secrets.smsBody }, headers('redact-sms')));

    for (const [requestId, { lines }] of [['redact-email', email], ['redact-sms', sms]] as const) {
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((line) => line.requestId !== requestId)).toEqual([]);
    }
    expect(sms.lines.filter((line) => line.level === 'warn').length).toBeGreaterThanOrEqual(2); // the retry, the failure
    expect(email.lines.at(-1)).toMatchObject({ level: 'info', route: '/messaging/email', statusCode: 200, method: 'POST' });

    const everything = app.output();
    for (const value of [token, token.split('.')[2], ...Object.values(secrets)]) {
      expect({ value, found: everything.includes(value) }).toEqual({ value, found: false });
    }
    expect(everything).not.toContain(secrets.smsTo.slice(1)); // nor the number without its +
  });
});
