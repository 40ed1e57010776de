import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

const ROW_ID = /^[0-9a-f]{24}$/;
const SID = /^SM[0-9a-f]{32}$/;
const ASYNC = { prefer: 'respond-async' };

/**
 * Asynchronous delivery with the workers in the API process (the default):
 * 202 at once, then the queue delivers through the same providers, retrying
 * transient failures. A real Redis (the suite's), a real SMTP server, the
 * Twilio-compatible fake.
 */
describe('asynchronous delivery (Prefer: respond-async)', () => {
  const environment = testEnvironment({ name: 'async-delivery', smtp: true, twilio: true, redis: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({
      // The provider's own retries off, so the queue's retries are what is tested.
      TWILIO_MAX_RETRIES: '0',
      QUEUE_ATTEMPTS: '3',
      QUEUE_BACKOFF_MS: '50',
    });
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = ASYNC, sub = 'async-client') =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers: { ...bearer({ sub }), ...headers }, body });
  const final = (id: string) => environment.logs.waitFor(id, (row) => row.status === 'sent' || row.status === 'failed');

  it('queues an email: 202 with the row id, then the worker sends it once with a Message-ID of that row', async () => {
    const response = await post('/email', { to: 'alice@example.com', subject: 'Queued hello', body: '<p>Hi</p>' });
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBe('respond-async');
    const id = String(response.body.messageId);
    expect(response.body).toEqual({ id, messageId: expect.stringMatching(ROW_ID) as string, status: 'queued', channel: 'email', to: 'alice@example.com' });

    const row = await final(id);
    const [received] = await environment.sink.waitForMessages(1);
    expect(row).toMatchObject({ channel: 'email', status: 'sent', provider: 'smtp', requestedBy: 'async-client' });
    expect(row.messageId).toBe(`<${id}@fluxkit.test>`);
    expect(received.mail.messageId).toBe(row.messageId);
    expect(received.mail.subject).toBe('Queued hello');
    expect(received.mail.text).toContain('Hi');
    expect(environment.sink.messages).toHaveLength(1);
    const view = await request(`${app.url}/messaging/logs/${id}`, { headers: bearer() });
    expect(view.body).toMatchObject({ _id: id, status: 'sent', messageId: row.messageId });
  });

  it('renders a template at request time and queues it', async () => {
    const response = await post('/email/template', { to: 'bob@example.com', template: 'welcome', data: { name: 'Bob', appName: 'Acme' } });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued', channel: 'email', to: 'bob@example.com', template: 'welcome' });
    expect(await final(String(response.body.messageId))).toMatchObject({ status: 'sent', template: 'welcome' });
    const [received] = await environment.sink.waitForMessages(1);
    expect(received.mail.html).toContain('Bob');
  });

  it('queues an SMS and a WhatsApp message, each sent once with the provider id on the row', async () => {
    const sms = await post('/sms', { to: '+15551230001', body: 'code 1234' });
    expect(sms.status).toBe(202);
    expect(sms.body).toEqual({ id: sms.body.messageId, messageId: expect.stringMatching(ROW_ID) as string, status: 'queued', channel: 'sms', to: '+15551230001', segments: 1 });
    const smsRow = await final(String(sms.body.messageId));
    expect(smsRow).toMatchObject({ status: 'sent', provider: 'twilio', messageId: expect.stringMatching(SID) as string });

    const media = { url: 'https://cdn.example.com/a.pdf', contentType: 'application/pdf' };
    const whatsapp = await post('/whatsapp', { to: '+15551230002', body: 'your invoice', media });
    expect(whatsapp.status).toBe(202);
    const whatsappRow = await final(String(whatsapp.body.messageId));
    expect(whatsappRow).toMatchObject({ status: 'sent', channel: 'whatsapp', messageId: expect.stringMatching(SID) as string });

    const requests = environment.twilio.messageRequests();
    expect(requests.map((r) => r.fields)).toEqual([
      { To: '+15551230001', From: '+15005550006', Body: 'code 1234' },
      { To: 'whatsapp:+15551230002', From: 'whatsapp:+15005550007', Body: 'your invoice', MediaUrl: media.url },
    ]);
    expect(requests.map((r) => r.response?.['sid'])).toEqual([smsRow.messageId, whatsappRow.messageId]);
  });

  it('finds respond-async among other preferences, in any case; other preferences leave the send synchronous', async () => {
    const mixed = await post('/sms', { to: '+15551230003', body: 'x' }, { prefer: 'wait=5, Respond-Async; x=1' });
    expect(mixed.status).toBe(202);
    await final(String(mixed.body.messageId));
    const other = await post('/sms', { to: '+15551230004', body: 'y' }, { prefer: 'return=minimal' });
    expect(other.status).toBe(200);
    expect(other.headers.get('preference-applied')).toBeNull();
    expect(other.body).toMatchObject({ messageId: expect.stringMatching(SID) as string, status: 'sent' });
  });

  it('keeps synchronous sends exactly as before when Prefer is absent', async () => {
    const response = await post('/sms', { to: '+15551230005', body: 'sync' }, {});
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: expect.stringMatching(ROW_ID) as string, messageId: expect.stringMatching(SID) as string, status: 'sent', channel: 'sms', to: '+15551230005', segments: 1 });
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it('retries transient failures with backoff: two 503s, then sent once', async () => {
    environment.twilio.failNext(faults.serverError(503), { times: 2 });
    const response = await post('/sms', { to: '+15551230006', body: 'retry me' });
    expect(response.status).toBe(202);
    const row = await final(String(response.body.messageId));
    expect(row).toMatchObject({ status: 'sent', messageId: expect.stringMatching(SID) as string });
    expect(row.error).toBeUndefined();
    expect(environment.twilio.messageRequests().map((r) => r.outcome)).toEqual([503, 503, 201]);
  });

  it('fails a permanent rejection at once, without retrying', async () => {
    environment.twilio.failNext(faults.invalidNumber());
    const response = await post('/sms', { to: '+15551230007', body: 'nope' });
    const row = await final(String(response.body.messageId));
    expect(row).toMatchObject({ status: 'failed', error: { code: 'SEND_FAILED', providerCode: '21211' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it('fails after the last attempt when the failure persists', async () => {
    environment.twilio.failNext(faults.serverError(503), { times: 10 });
    const response = await post('/sms', { to: '+15551230008', body: 'never' });
    const row = await final(String(response.body.messageId));
    expect(row).toMatchObject({ status: 'failed', error: { code: 'SEND_FAILED' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(environment.twilio.requestCount('messages')).toBe(3);
  });

  it('answers request errors at once, before anything is logged or queued', async () => {
    const before = await environment.logs.count();
    const unknownTemplate = await post('/email/template', { to: 'c@example.com', template: 'nope' });
    expect(unknownTemplate.status).toBe(404);
    expect(unknownTemplate.body).toMatchObject({ error: { code: 'TEMPLATE_NOT_FOUND' } });
    const invalid = await post('/sms', { to: '12345', body: 'x' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect(await environment.logs.count()).toBe(before);
  });

  it('accepts the new statuses in the logs filter', async () => {
    for (const status of ['queued', 'scheduled', 'cancelled', 'pending', 'delivered', 'undelivered', 'read']) {
      const response = await request(`${app.url}/messaging/logs?status=${status}`, { headers: bearer() });
      expect(response.status).toBe(200);
    }
    const refused = await request(`${app.url}/messaging/logs?status=bounced`, { headers: bearer() });
    expect(refused.status).toBe(400);
  });

  it('shows the queue in health', async () => {
    const health = await request(`${app.url}/messaging/health`);
    expect(health.body).toMatchObject({ queue: { status: 'connected' }, database: { status: 'connected' } });
  });

  // Last: it stops the app.
  it('on SIGTERM, finishes the job in progress, closes the queue and exits 0', async () => {
    environment.twilio.failNext(faults.slow(1_000));
    const response = await post('/sms', { to: '+15551230009', body: 'in flight at shutdown' });
    await environment.twilio.waitForRequests(1);
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(await environment.logs.byId(String(response.body.messageId))).toMatchObject({ status: 'sent' });
  });
});
