import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const DAY_MS = 86_400_000;

describe('scheduled sends (sendAt) and cancellation', () => {
  const environment = testEnvironment({ name: 'scheduled-delivery', smtp: true, twilio: true, redis: true, throttle: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({
      EMAIL_FROM: 'no-reply@fluxkit.test',
    });
  });

  const post = (path: string, body: unknown) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers: bearer({ sub: 'scheduler' }), body });
  const cancel = (id: string, headers: Record<string, string> = bearer()) =>
    request<Record<string, unknown>>(`${app.url}/messaging/messages/${id}`, { method: 'DELETE', headers });

  it('delivers a scheduled email within a second after sendAt, never before', async () => {
    const sendAt = inMs(2_500);
    const response = await post('/email', { to: 'later@example.com', subject: 'On time', body: '<p>now</p>', sendAt });
    expect(response.status).toBe(202);
    expect(response.headers.get('preference-applied')).toBeNull();
    const id = String(response.body.messageId);
    expect(response.body).toEqual({ id, messageId: id, status: 'scheduled', channel: 'email', to: 'later@example.com', sendAt });
    expect(await environment.logs.byId(id)).toMatchObject({ status: 'scheduled', sendAt: new Date(sendAt) });

    const [received] = await environment.sink.waitForMessages(1, 10_000);
    const lateByMs = received.receivedAt.getTime() - Date.parse(sendAt);
    expect(lateByMs).toBeGreaterThanOrEqual(0);
    expect(lateByMs).toBeLessThan(1_000);
    const row = await environment.logs.waitFor(id, (r) => r.status === 'sent');
    expect(received.mail.messageId).toBe(row.messageId);
    const view = await request(`${app.url}/messaging/logs/${id}`, { headers: bearer() });
    expect(view.body).toMatchObject({ status: 'sent', sendAt });
  });

  it.each<[string, unknown, string]>([
    ['in the past', inMs(-60_000), 'sendAt must not be in the past'],
    ['more than 30 days ahead', inMs(31 * DAY_MS), 'sendAt must be at most 30 days ahead'],
    ['without a time zone', '2030-01-01T10:00:00', 'sendAt must be an ISO-8601 date-time with Z or an offset, like 2025-06-01T09:00:00Z'],
    ['a date alone', '2030-01-01', 'sendAt must be an ISO-8601 date-time with Z or an offset, like 2025-06-01T09:00:00Z'],
    ['null', null, 'sendAt must be an ISO-8601 date-time with Z or an offset, like 2025-06-01T09:00:00Z'],
    ['a number', Date.now() + 10_000, 'sendAt must be an ISO-8601 date-time with Z or an offset, like 2025-06-01T09:00:00Z'],
  ])('refuses sendAt %s with 400 VALIDATION_ERROR, logging nothing', async (_label, sendAt, message) => {
    const before = await environment.logs.count();
    const response = await post('/sms', { to: '+15551239001', body: 'x', sendAt });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'sendAt', errors: [message] }] } } });
    expect(await environment.logs.count()).toBe(before);
  });

  it('cancels a scheduled message before its time: 200, cancelled, never delivered; a second cancel is 409', async () => {
    const sendAt = inMs(2_000);
    const scheduled = await post('/sms', { to: '+15551239002', body: 'cancel me', sendAt });
    const id = String(scheduled.body.messageId);
    const response = await cancel(id);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ messageId: id, status: 'cancelled', channel: 'sms', to: '+15551239002' });

    await sleep(Date.parse(sendAt) - Date.now() + 1_500);
    expect(environment.twilio.requestCount('messages')).toBe(0);
    expect(await environment.logs.byId(id)).toMatchObject({ status: 'cancelled' });
    const again = await cancel(id.toUpperCase());
    expect(again.status).toBe(409);
    expect(again.body).toEqual({
      error: { code: 'MESSAGE_NOT_CANCELLABLE', message: 'The message is cancelled and can no longer be cancelled', details: { status: 'cancelled' } },
    });
  });

  it('refuses to cancel a message that went out: 409 with its status', async () => {
    const queued = await request<Record<string, unknown>>(`${app.url}/messaging/sms`, {
      headers: { ...bearer(), prefer: 'respond-async' },
      body: { to: '+15551239003', body: 'quick' },
    });
    const id = String(queued.body.messageId);
    await environment.logs.waitFor(id, (row) => row.status === 'sent');
    const response = await cancel(id);
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ error: { code: 'MESSAGE_NOT_CANCELLABLE', details: { status: 'sent' } } });
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it('answers 404 for an unknown id, 400 for a malformed one, 401 without a token', async () => {
    const unknown = await cancel('0123456789abcdef01234567');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const malformed = await cancel('not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'VALIDATION_ERROR', details: { fields: [{ field: 'id' }] } } });
    expect((await cancel('0123456789abcdef01234567', {})).status).toBe(401);
  });
});

describe('without Redis', () => {
  const environment = testEnvironment({ name: 'scheduled-no-redis', twilio: true, throttle: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  it('refuses sendAt and cancellations with 400 QUEUE_NOT_CONFIGURED', async () => {
    const scheduled = await request(`${app.url}/messaging/sms`, { headers: bearer(), body: { to: '+15551239004', body: 'x', sendAt: inMs(60_000) } });
    expect(scheduled.status).toBe(400);
    expect(scheduled.body).toMatchObject({ error: { code: 'QUEUE_NOT_CONFIGURED', message: expect.stringContaining('REDIS_URL') as string } });
    const cancelled = await request(`${app.url}/messaging/messages/0123456789abcdef01234567`, { method: 'DELETE', headers: bearer() });
    expect(cancelled.status).toBe(400);
    expect(cancelled.body).toMatchObject({ error: { code: 'QUEUE_NOT_CONFIGURED' } });
    expect(environment.twilio.requestCount('messages')).toBe(0);
  });

  it('ignores Prefer: respond-async and sends synchronously, as before', async () => {
    const response = await request(`${app.url}/messaging/sms`, { headers: { ...bearer(), prefer: 'respond-async' }, body: { to: '+15551239005', body: 'y' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('preference-applied')).toBeNull();
    expect(response.body).toMatchObject({ status: 'sent', channel: 'sms' });
    const health = await request<Record<string, unknown>>(`${app.url}/messaging/health`);
    expect(health.body).not.toHaveProperty('queue');
  });
});
