import { loadConfig } from '../../../config/environment.js';
import { createTwilioClient } from './twilio-client.factory.js';

const credentials = { accountSid: `AC${'a'.repeat(32)}`, authToken: 'token' };

describe('createTwilioClient', () => {
  it("keeps Twilio's own address by default", () => {
    expect(createTwilioClient(credentials, 1_000).api.baseUrl).toBe('https://api.twilio.com');
  });

  it('sends every call of the Api domain to TWILIO_API_BASE_URL, path prefix included', () => {
    const client = createTwilioClient({ ...credentials, apiBaseUrl: 'http://127.0.0.1:4010/twilio/' }, 1_000);
    expect(client.api.baseUrl).toBe('http://127.0.0.1:4010/twilio');
    expect(client.api.v2010.absoluteUrl(`Accounts/${credentials.accountSid}/Messages.json`)).toBe(
      `http://127.0.0.1:4010/twilio/2010-04-01/Accounts/${credentials.accountSid}/Messages.json`,
    );
  });

  it('uses the given timeout and leaves retrying to us', () => {
    const client = createTwilioClient(credentials, 1_234);
    expect(client.httpClient.defaultTimeout).toBe(1_234);
    expect(client.httpClient.autoRetry).toBe(false);
  });
});

describe('Twilio variables of the standalone app', () => {
  const base = {
    MONGODB_URI: 'mongodb://127.0.0.1:27017/messaging',
    JWT_SECRET: 'x'.repeat(32),
    TWILIO_ACCOUNT_SID: credentials.accountSid,
    TWILIO_AUTH_TOKEN: 'token',
  };

  it('defaults to a 10 s deadline and 2 retries from 200 ms', () => {
    expect(loadConfig(base).messaging.twilio).toMatchObject({ timeoutMs: 10_000, maxRetries: 2, retryBackoffMs: 200 });
  });

  it('reads TWILIO_TIMEOUT_MS, TWILIO_MAX_RETRIES and TWILIO_RETRY_BACKOFF_MS', () => {
    const env = { ...base, TWILIO_TIMEOUT_MS: '750', TWILIO_MAX_RETRIES: '0', TWILIO_RETRY_BACKOFF_MS: '50' };
    expect(loadConfig(env).messaging.twilio).toMatchObject({ timeoutMs: 750, maxRetries: 0, retryBackoffMs: 50 });
  });

  it.each([
    ['TWILIO_TIMEOUT_MS', '0'],
    ['TWILIO_TIMEOUT_MS', 'soon'],
    ['TWILIO_MAX_RETRIES', '6'],
    ['TWILIO_RETRY_BACKOFF_MS', '-1'],
  ])('refuses %s=%s, naming it', (variable, value) => {
    expect(() => loadConfig({ ...base, [variable]: value })).toThrow(variable);
  });
});
