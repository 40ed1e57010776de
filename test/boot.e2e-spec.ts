import { runAppExpectingExit, startApp } from './helpers/app-process.js';
import { testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';

describe('boot configuration', () => {
  it.each<[string, Record<string, string | undefined>, string]>([
    ['MONGODB_URI missing', { MONGODB_URI: undefined }, 'MONGODB_URI'],
    ['JWT_SECRET missing', { JWT_SECRET: undefined }, 'JWT_SECRET'],
    ['JWT_SECRET too short', { JWT_SECRET: 'short' }, 'JWT_SECRET'],
    ['PORT not a number', { PORT: 'http' }, 'PORT'],
    ['SMTP_HOST without EMAIL_FROM', { SMTP_HOST: '127.0.0.1' }, 'EMAIL_FROM'],
    ['a Twilio SID without its token', { TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}` }, 'TWILIO_AUTH_TOKEN'],
    ['THROTTLE_LIMIT of zero', { THROTTLE_LIMIT: '0' }, 'THROTTLE_LIMIT'],
  ])('exits non-zero when %s, naming the variable', async (_label, env, variable) => {
    const result = await runAppExpectingExit({ MONGODB_URI: testDatabaseUri('boot'), ...env });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`Configuration error: ${variable}`);
    expect(result.output).not.toContain('Listening on port');
  });

  it('never prints the JWT secret, even when refusing it', async () => {
    const result = await runAppExpectingExit({ MONGODB_URI: testDatabaseUri('boot'), JWT_SECRET: 'leaky-secret' });
    expect(result.output).not.toContain('leaky-secret');
  });

  it('exits 0 on SIGTERM after closing', async () => {
    const app = await startApp({ MONGODB_URI: testDatabaseUri('boot') });
    expect((await request(`${app.url}/messaging/health`)).status).toBe(200);
    expect(await app.stop('SIGTERM')).toBe(0);
    expect(app.output()).toContain('SIGTERM received');
  });
});
