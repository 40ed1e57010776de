import { networkInterfaces } from 'node:os';
import type { RunningApp } from './helpers/app-process.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { parseExposition, valueOf, type Exposition } from './helpers/prometheus-text.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

/** This machine's first non-loopback IPv4 address: a request to it does not come from loopback. */
function externalAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  if (!address) throw new Error('this machine has no non-loopback IPv4 address to scrape from');
  return address;
}

async function scrape(url: string, headers: Record<string, string> = {}): Promise<Exposition> {
  const response = await fetch(`${url}/messaging/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

/** GET /messaging/metrics: Prometheus' text format, counts that match the sends made, and who may read it. */
describe('metrics', () => {
  const environment = testEnvironment({ name: 'metrics', smtp: true, twilio: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await environment.startApp({ METRICS_TOKEN, TWILIO_MAX_RETRIES: '0' });
  });

  const send = (path: string, body: unknown) =>
    request(`${app.url}/messaging${path}`, { headers: bearer({ sub: 'metrics-client' }), body });

  it('counts each send by channel, provider and status, times it, and counts a provider error by its code', async () => {
    const before = await scrape(app.url);
    const email = { to: 'someone@example.com', subject: 'Counted', body: '<p>Counted</p>' };
    expect((await send('/email', email)).status).toBe(200);
    expect((await send('/email', email)).status).toBe(200);
    expect((await send('/sms', { to: '+15550001111', body: 'counted' })).status).toBe(200);
    environment.twilio.failNext(faults.invalidNumber());
    expect((await send('/sms', { to: '+15550001112', body: 'refused' })).status).toBe(500);
    const after = await scrape(app.url);

    const moved = (name: string, labels: Record<string, string>) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(after.types.get('messaging_messages_total')).toBe('counter');
    expect(moved('messaging_messages_total', { channel: 'email', provider: 'smtp', status: 'sent' })).toBe(2);
    expect(moved('messaging_messages_total', { channel: 'sms', provider: 'twilio', status: 'sent' })).toBe(1);
    expect(moved('messaging_messages_total', { channel: 'sms', provider: 'twilio', status: 'failed' })).toBe(1);
    expect(moved('messaging_messages_total', { channel: 'whatsapp', provider: 'twilio', status: 'sent' })).toBe(0);
    expect(after.types.get('messaging_send_duration_seconds')).toBe('histogram');
    expect(moved('messaging_send_duration_seconds_count', { channel: 'email', provider: 'smtp' })).toBe(2);
    expect(moved('messaging_send_duration_seconds_count', { channel: 'sms', provider: 'twilio' })).toBe(2);
    expect(moved('messaging_provider_errors_total', { provider: 'twilio', code: '21211' })).toBe(1);
  });

  it('times HTTP requests by route pattern and status, never by the raw URL', async () => {
    const id = '0123456789abcdef01234567';
    const before = await scrape(app.url);
    const missing = await request(`${app.url}/messaging/logs/${id}`, { headers: bearer() });
    expect(missing.status).toBe(404);
    await request(`${app.url}/messaging/no-such-route-${id}`);
    const after = await scrape(app.url);

    const count = (exposition: Exposition, labels: Record<string, string>) =>
      valueOf(exposition, 'messaging_http_request_duration_seconds_count', labels);
    const logsRoute = { method: 'GET', route: '/messaging/logs/:id', status: '404' };
    expect(count(after, logsRoute) - count(before, logsRoute)).toBe(1);
    const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
    expect(count(after, unmatched) - count(before, unmatched)).toBe(1);
    const labelValues = after.samples.flatMap((sample) => Object.values(sample.labels));
    expect(labelValues.filter((value) => value.includes(id))).toEqual([]);
  });

  it("includes Node's process metrics, in the module's own registry", async () => {
    const exposition = await scrape(app.url);
    expect(exposition.types.get('process_cpu_user_seconds_total')).toBe('counter');
    expect(exposition.types.get('nodejs_eventloop_lag_seconds')).toBe('gauge');
  });

  describe('access from outside loopback', () => {
    const outside = () => `http://${externalAddress()}:${new URL(app.url).port}`;
    const get = (headers: Record<string, string> = {}) => request(`${outside()}/messaging/metrics`, { headers });

    it('needs the metrics token or an admin token: none or a wrong one is 401 in the envelope, X-Forwarded-For opens nothing', async () => {
      const none = await get();
      expect(none.status).toBe(401);
      expect(none.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Missing metrics token or admin bearer token' } });
      expect((await get({ authorization: `Bearer ${METRICS_TOKEN}x` })).status).toBe(401);
      expect((await get({ authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}` })).status).toBe(401);
      expect((await get({ 'x-forwarded-for': '127.0.0.1' })).status).toBe(401);
    });

    it("opens to an API token only with messaging:admin itself: a sender's token, or one without scopes, is 403", async () => {
      for (const scope of ['messaging:send messaging:logs:read', null]) {
        const refused = await get(bearer({ sub: 'metrics-client', scope }));
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN', details: { scope: 'messaging:admin' } } });
      }
      const exposition = await scrape(outside(), bearer({ sub: 'operator', scope: 'messaging:admin' }));
      expect(exposition.types.get('messaging_messages_total')).toBe('counter');
    });

    it('serves the metrics with the right token', async () => {
      const exposition = await scrape(outside(), { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(exposition.types.get('messaging_messages_total')).toBe('counter');
    });
  });
});

describe('metrics without a token, under a tight rate limit', () => {
  const environment = testEnvironment({ name: 'metrics-closed', throttle: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await environment.startApp({ THROTTLE_LIMIT: '2' });
  });

  it('outside loopback with no METRICS_TOKEN configured: a static bearer is 401, a non-admin token 403, an admin token 200', async () => {
    const url = `http://${externalAddress()}:${new URL(app.url).port}/messaging/metrics`;
    expect((await request(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(401);
    const refused = await request(url, { headers: bearer({ scope: 'messaging:send' }) });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    expect((await fetch(url, { headers: bearer({ scope: 'messaging:admin' }) })).status).toBe(200);
  });

  it("does not count scrapes against anyone's rate limit", async () => {
    for (let i = 0; i < 5; i++) await scrape(app.url);
    const health = await request(`${app.url}/messaging/health`);
    expect(health.status).not.toBe(429);
  });
});

describe('METRICS_ENABLED=false', () => {
  const environment = testEnvironment({ name: 'metrics-off' });
  it('mounts no metrics route', async () => {
    const app = await environment.startApp({ METRICS_ENABLED: 'false' });
    const response = await request(`${app.url}/messaging/metrics`);
    expect(response.status).toBe(404);
  });
});

describe('queue gauges (with Redis)', () => {
  const environment = testEnvironment({ name: 'metrics-queue', twilio: true, redis: true });

  it('reports scheduled messages as delayed, read from the queue when scraped', async () => {
    const app = await environment.startApp();
    const before = await scrape(app.url);
    expect(before.types.get('messaging_queue_depth')).toBe('gauge');
    expect(valueOf(before, 'messaging_queue_delayed')).toBe(0);
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'metrics-queue' }),
      body: { to: '+15550004444', body: 'later', sendAt },
    });
    expect(scheduled.status).toBe(202);
    const after = await scrape(app.url);
    expect(valueOf(after, 'messaging_queue_delayed')).toBe(1);
    expect(valueOf(after, 'messaging_queue_depth')).toBe(0);
  });
});
