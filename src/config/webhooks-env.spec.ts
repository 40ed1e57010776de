import { randomBytes } from 'node:crypto';
import { validateMessagingOptions } from '../messaging/messaging-options.validation.js';
import { webhooksFromEnv } from './webhooks-env.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const reader = (env: Record<string, string>) => (name: string) => env[name];

describe('WEBHOOK_* variables', () => {
  it('none set: no webhooks', () => {
    expect(webhooksFromEnv(reader({}))).toBeUndefined();
  });

  it('URLs and secret: the option, default backoff', () => {
    const options = webhooksFromEnv(reader({ WEBHOOK_URLS: 'https://a.example.com/in, http://127.0.0.1:9/x', WEBHOOK_SECRET: SECRET }));
    expect(options).toEqual({ urls: ['https://a.example.com/in', 'http://127.0.0.1:9/x'], secret: SECRET, backoffMs: 5_000 });
  });

  it.each([
    [{ WEBHOOK_URLS: 'https://a.example.com' }, 'WEBHOOK_SECRET is required when WEBHOOK_URLS is set'],
    [{ WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URLS is required when WEBHOOK_SECRET is set'],
    [{ WEBHOOK_URLS: 'https://a.example.com,/relative?token=t0ps3cret', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URLS entry 2 must be an absolute http(s) URL'],
    [{ WEBHOOK_URLS: 'https://a.example.com', WEBHOOK_SECRET: 'whsec_c2hvcnQ=' }, 'WEBHOOK_SECRET must be "whsec_" followed by the base64 of 24 to 64 random bytes'],
    [{ WEBHOOK_URLS: 'https://a.example.com', WEBHOOK_SECRET: SECRET, WEBHOOK_BACKOFF_MS: '0' }, 'WEBHOOK_BACKOFF_MS must be an integer from 1 to 3600000 (got "0")'],
  ])('%j is refused: %s', (env, message) => {
    expect(() => webhooksFromEnv(reader(env))).toThrow(message);
    expect(() => webhooksFromEnv(reader(env))).not.toThrow(/t0ps3cret|c2hvcnQ/);
  });

  it('the module option is checked the same way, naming the option and not the value', () => {
    expect(() => validateMessagingOptions({ webhooks: { urls: ['ftp://x'], secret: 'whsec_c2hvcnQ=' } }, false)).toThrow(
      'MessagingModule options: webhooks.urls [0] must be an absolute http(s) URL; webhooks.secret must be "whsec_" followed by the base64 of 24 to 64 random bytes',
    );
    expect(() => validateMessagingOptions({ webhooks: { urls: ['https://a.example.com'], secret: SECRET } }, false)).not.toThrow();
  });
});
