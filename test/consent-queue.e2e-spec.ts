import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/** The worker checks the suppression list again when it picks a queued or scheduled message up. */
describe('consent: queued and scheduled messages', () => {
  const environment = testEnvironment({ name: 'consent-queue', smtp: true, twilio: true, redis: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  const post = (tenant: string, path: string, body: unknown) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { headers: bearer({ sub: tenant }), body });

  it('ends a scheduled SMS `suppressed`, unsent, when its recipient opts out before the worker runs', async () => {
    const accepted = await post('queue-a', '/sms', { to: '+14155550401', body: 'Reminder', sendAt: inMs(3_000) });
    expect(accepted.status).toBe(202);
    const id = String(accepted.body['messageId']);
    expect((await post('queue-a', '/suppressions', { channel: 'sms', address: '+14155550401' })).status).toBe(201);

    const row = await environment.logs.waitFor(id, (r) => r.status !== 'scheduled', 15_000);
    expect(row).toMatchObject({ status: 'suppressed', error: { code: 'RECIPIENT_SUPPRESSED' } });
    expect(environment.twilio.requestCount('messages')).toBe(0);
  });

  it('sends a scheduled email to the recipients left when one of them opts out meanwhile', async () => {
    const accepted = await post('queue-b', '/email', {
      to: ['eve@example.com', 'fay@example.com'],
      subject: 'Later',
      body: '<p>hi</p>',
      category: 'marketing',
      sendAt: inMs(3_000),
    });
    expect(accepted.status).toBe(202);
    const id = String(accepted.body['messageId']);
    await post('queue-b', '/suppressions', { channel: 'email', address: 'fay@example.com', scope: 'marketing' });

    const [mail] = await environment.sink.waitForMessages(1, 15_000);
    expect(mail?.envelope.to).toEqual(['eve@example.com']);
    const row = await environment.logs.waitFor(id, (r) => r.status === 'sent');
    expect(row).toMatchObject({ suppressed: ['fay@example.com'] });
  });

  it('refuses a queued send to an already suppressed number at once (422), nothing enqueued', async () => {
    await post('queue-c', '/suppressions', { channel: 'sms', address: '+14155550402' });
    const refused = await request(`${app.url}/messaging/sms`, {
      headers: { ...bearer({ sub: 'queue-c' }), prefer: 'respond-async' },
      body: { to: '+14155550402', body: 'hi' },
    });
    expect(refused.status).toBe(422);
    expect(await environment.logs.byRequester('queue-c')).toEqual([expect.objectContaining({ status: 'suppressed' })]);
  });
});
