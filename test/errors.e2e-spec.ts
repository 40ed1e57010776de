import { startApp, type RunningApp } from './helpers/app-process.js';
import { testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

describe('error envelope and limits', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({
      MONGODB_URI: testDatabaseUri('errors'),
      THROTTLE_LIMIT: '5',
      THROTTLE_TTL_MS: '60000',
      BODY_LIMIT_BYTES: '2048',
    });
  });
  afterAll(() => app.stop());

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const response = await request(`${app.url}/messaging/nothing-here`, { headers: bearer({ sub: 'errors-404' }) });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Route not found' } });
  });

  it('answers malformed JSON with 400 VALIDATION_ERROR', async () => {
    const response = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'errors-json' }),
      rawBody: '{"to": "+1234567890", "body": ',
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'Request body is not valid JSON' },
    });
  });

  it('answers a body over BODY_LIMIT_BYTES with 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'errors-413' }),
      body: { to: '+1234567890', body: 'x'.repeat(4096) },
    });
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('limits each token subject to THROTTLE_LIMIT requests per window, with Retry-After', async () => {
    const headers = bearer({ sub: 'errors-throttle' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await request(`${app.url}/messaging/logs`, { headers })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    const limited = await request(`${app.url}/messaging/logs`, { headers });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED', message: 'Too many requests, retry later' } });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);

    // Another subject has its own budget.
    const other = await request(`${app.url}/messaging/logs`, { headers: bearer({ sub: 'errors-other' }) });
    expect(other.status).toBe(200);
  });
});
