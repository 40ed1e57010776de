import { ConfigError, loadConfig } from './environment.js';

const base = {
  MONGODB_URI: 'mongodb://127.0.0.1:27017/messaging',
  JWT_SECRET: 'x'.repeat(32),
};

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig: the operations console', () => {
  it('serves it unless CONSOLE_ENABLED=false, and refuses anything but true or false', () => {
    expect(loadConfig(base).consoleEnabled).toBe(true);
    expect(loadConfig({ ...base, CONSOLE_ENABLED: 'false' }).consoleEnabled).toBe(false);
    expect(failure({ ...base, CONSOLE_ENABLED: 'off' }).message).toContain('CONSOLE_ENABLED');
  });
});

describe('loadConfig: identity-provider tokens, scopes and tenants', () => {
  const jwks = { MONGODB_URI: base.MONGODB_URI, JWT_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' };

  it('takes JWT_JWKS_URL alone, or beside JWT_SECRET, with its refinements', () => {
    expect(loadConfig(jwks).messaging.auth).toMatchObject({ jwksUri: jwks.JWT_JWKS_URL, requireScopes: false });
    const both = loadConfig({
      ...base,
      ...jwks,
      JWT_ALGORITHMS: 'HS256, RS256,ES256',
      AUTH_REQUIRE_SCOPES: 'true',
      JWT_TENANT_CLAIM: 'https://fluxkit.test/org',
    });
    expect(both.messaging.auth).toMatchObject({
      jwtSecret: base.JWT_SECRET,
      jwksUri: jwks.JWT_JWKS_URL,
      algorithms: ['HS256', 'RS256', 'ES256'],
      requireScopes: true,
      tenantClaim: 'https://fluxkit.test/org',
    });
  });

  it.each([
    [{ MONGODB_URI: base.MONGODB_URI }, 'JWT_SECRET', /or JWT_JWKS_URL/],
    [{ ...jwks, JWT_JWKS_URL: 'file:///etc/keys.json' }, 'JWT_JWKS_URL', /http/],
    [{ ...jwks, JWT_ALGORITHMS: 'none' }, 'JWT_ALGORITHMS', /must list only/],
    [{ ...jwks, JWT_ALGORITHMS: 'HS256' }, 'JWT_ALGORITHMS', /needs JWT_SECRET/],
    [{ ...base, JWT_ALGORITHMS: 'RS256' }, 'JWT_ALGORITHMS', /needs JWT_JWKS_URL/],
    [{ ...base, JWT_ALGORITHMS: ' , ' }, 'JWT_ALGORITHMS', /non-empty/],
    [{ ...base, AUTH_REQUIRE_SCOPES: 'yes please' }, 'AUTH_REQUIRE_SCOPES', /true or false/],
    [{ ...base, JWT_TENANT_CLAIM: 'a b' }, 'JWT_TENANT_CLAIM', /claim name/],
  ])('refuses %j naming %s', (env, variable, problem) => {
    const error = failure(env);
    expect(error.message).toContain(variable);
    expect(error.message).toMatch(problem);
  });
});

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(base);
    expect(config.port).toBe(3000);
    expect(config.bodyLimitBytes).toBe(1_048_576);
    expect(config.batchBodyLimitBytes).toBe(16 * 1_048_576);
    expect(config.requestTimeoutMs).toBe(20_000);
    expect(config.messaging.throttle).toEqual({ limit: 100, ttlMs: 60_000, countBatchMessages: true });
    expect(config.messaging.smtp).toBeUndefined();
    expect(config.messaging.twilio).toBeUndefined();
    expect(config.messaging.auth).toEqual({ jwtSecret: base.JWT_SECRET, issuer: undefined, audience: undefined, requireScopes: false });
  });

  it('reads PUBLIC_BASE_URL without its trailing slash, and leaves it unset by default', () => {
    expect(loadConfig(base).messaging.publicBaseUrl).toBeUndefined();
    expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://Example.com/comms/' }).messaging.publicBaseUrl).toBe('https://example.com/comms');
  });

  it('reads PUBLIC_BASE_URL without its trailing slash, and leaves it unset by default', () => {
    expect(loadConfig(base).messaging.publicBaseUrl).toBeUndefined();
    expect(loadConfig({ ...base, PUBLIC_BASE_URL: 'https://Example.com/comms/' }).messaging.publicBaseUrl).toBe('https://example.com/comms');
  });

  it.each([
    [{ JWT_SECRET: base.JWT_SECRET }, 'MONGODB_URI'],
    [{ MONGODB_URI: base.MONGODB_URI }, 'JWT_SECRET'],
    [{ ...base, MONGODB_URI: 'postgres://x' }, 'MONGODB_URI'],
    [{ ...base, JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [{ ...base, PORT: 'eighty' }, 'PORT'],
    [{ ...base, PUBLIC_BASE_URL: 'api.example.com' }, 'PUBLIC_BASE_URL'],
    [{ ...base, PUBLIC_BASE_URL: 'https://api.example.com/?x=1' }, 'PUBLIC_BASE_URL'],
    [{ ...base, PORT: '70000' }, 'PORT'],
    [{ ...base, THROTTLE_LIMIT: '0' }, 'THROTTLE_LIMIT'],
    [{ ...base, THROTTLE_TTL_MS: '-5' }, 'THROTTLE_TTL_MS'],
    [{ ...base, SMTP_HOST: 'smtp.example.com' }, 'EMAIL_FROM'],
    [{ ...base, SMTP_HOST: 'h', EMAIL_FROM: 'a@b.c', SMTP_SECURE: 'maybe' }, 'SMTP_SECURE'],
    [{ ...base, SMTP_HOST: 'h', EMAIL_FROM: 'a@b.c', SMTP_USER: 'u' }, 'SMTP_PASS'],
    [{ ...base, SMTP_HOST: 'h', EMAIL_FROM: 'not an address' }, 'EMAIL_FROM'],
    [{ ...base, TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32) }, 'TWILIO_AUTH_TOKEN'],
    [{ ...base, TWILIO_AUTH_TOKEN: 'secret' }, 'TWILIO_ACCOUNT_SID'],
    [{ ...base, TWILIO_ACCOUNT_SID: 'nope', TWILIO_AUTH_TOKEN: 't' }, 'TWILIO_ACCOUNT_SID'],
    [{ ...base, TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 't', TWILIO_SMS_FROM: '0123' }, 'TWILIO_SMS_FROM'],
    [{ ...base, TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 't', TWILIO_API_BASE_URL: 'ftp://x' }, 'TWILIO_API_BASE_URL'],
    [{ ...base, TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 't', TWILIO_PROVIDER_NAME: 'My Twilio' }, 'TWILIO_PROVIDER_NAME'],
    [{ ...base, REDIS_URL: 'http://127.0.0.1:6379' }, 'REDIS_URL'],
    [{ ...base, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'a*b' }, 'REDIS_KEY_PREFIX'],
    [{ ...base, QUEUE_WORKERS: 'sometimes' }, 'QUEUE_WORKERS'],
    [{ ...base, QUEUE_CONCURRENCY: '0' }, 'QUEUE_CONCURRENCY'],
    [{ ...base, QUEUE_ATTEMPTS: '101' }, 'QUEUE_ATTEMPTS'],
    [{ ...base, QUEUE_BACKOFF_MS: '-1' }, 'QUEUE_BACKOFF_MS'],
    [{ ...base, REQUEST_TIMEOUT_MS: '0' }, 'REQUEST_TIMEOUT_MS'],
    [{ ...base, REQUEST_TIMEOUT_MS: '20s' }, 'REQUEST_TIMEOUT_MS'],
    [{ ...base, REQUEST_TIMEOUT_MS: '600001' }, 'REQUEST_TIMEOUT_MS'],
    [{ ...base, EMAIL_BLOCKED_EXTENSIONS: 'exe,,bat' }, 'EMAIL_BLOCKED_EXTENSIONS'],
    [{ ...base, EMAIL_BLOCKED_EXTENSIONS: 'tar.gz' }, 'EMAIL_BLOCKED_EXTENSIONS'],
  ])('refuses %j, naming %s', (env, variable) => {
    expect(failure(env).variable).toBe(variable);
    expect(failure(env).message).toContain(variable);
  });

  it('never puts a secret value into the error message', () => {
    const error = failure({ ...base, JWT_SECRET: 'tiny-secret' });
    expect(error.message).not.toContain('tiny-secret');
  });

  it('reads SMTP with its port default following SMTP_SECURE', () => {
    const plain = loadConfig({ ...base, SMTP_HOST: 'mail', EMAIL_FROM: 'App <a@b.c>' }).messaging.smtp;
    expect(plain).toMatchObject({ host: 'mail', port: 587, secure: false, from: 'App <a@b.c>' });
    const tls = loadConfig({ ...base, SMTP_HOST: 'mail', EMAIL_FROM: 'a@b.c', SMTP_SECURE: 'true' }).messaging.smtp;
    expect(tls).toMatchObject({ port: 465, secure: true });
  });

  it('names the Twilio provider from TWILIO_PROVIDER_NAME, unset by default (the provider is then `twilio`)', () => {
    const twilio = { ...base, TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32), TWILIO_AUTH_TOKEN: 't' };
    expect(loadConfig(twilio).messaging.twilio?.name).toBeUndefined();
    const local = loadConfig({ ...twilio, TWILIO_PROVIDER_NAME: 'twilio-local-capture' }).messaging.twilio;
    expect(local?.name).toBe('twilio-local-capture');
  });

  it('reads REDIS_URL and its key prefix; without it Redis stays off', () => {
    expect(loadConfig(base).messaging.redis).toBeUndefined();
    expect(loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6380/2' }).messaging.redis).toEqual({ url: 'redis://127.0.0.1:6380/2' });
    expect(loadConfig({ ...base, REDIS_URL: 'rediss://r.example.com', REDIS_KEY_PREFIX: 'prod-eu' }).messaging.redis).toEqual({
      url: 'rediss://r.example.com',
      keyPrefix: 'prod-eu',
    });
  });

  it('reads the queue settings with their defaults', () => {
    expect(loadConfig(base).messaging.queue).toEqual({ workers: true, concurrency: 10, attempts: 5, backoffMs: 1_000 });
    const env = { ...base, QUEUE_WORKERS: 'false', QUEUE_CONCURRENCY: '3', QUEUE_ATTEMPTS: '1', QUEUE_BACKOFF_MS: '0' };
    expect(loadConfig(env).messaging.queue).toEqual({ workers: false, concurrency: 3, attempts: 1, backoffMs: 0 });
  });

  it('lets the worker process run without JWT_SECRET, but still checks one that is given', () => {
    const worker = loadConfig({ MONGODB_URI: base.MONGODB_URI, REDIS_URL: 'redis://127.0.0.1:6379' }, 'worker');
    expect(worker.messaging.auth).toBeUndefined();
    expect(worker.messaging.redis).toEqual({ url: 'redis://127.0.0.1:6379' });
    expect(() => loadConfig({ MONGODB_URI: base.MONGODB_URI, JWT_SECRET: 'short' }, 'worker')).toThrow(ConfigError);
    expect(() => loadConfig({ MONGODB_URI: base.MONGODB_URI })).toThrow(/JWT_SECRET/);
  });

  it('reads EMAIL_BLOCKED_EXTENSIONS as a list replacing the default, "none" as an empty one', () => {
    expect(loadConfig(base).messaging.attachments).toEqual({ blockedExtensions: undefined });
    expect(loadConfig({ ...base, EMAIL_BLOCKED_EXTENSIONS: '.EXE, docm' }).messaging.attachments).toEqual({ blockedExtensions: ['exe', 'docm'] });
    expect(loadConfig({ ...base, EMAIL_BLOCKED_EXTENSIONS: 'None' }).messaging.attachments).toEqual({ blockedExtensions: [] });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ ...base, SMTP_HOST: '  ', PORT: '' }).messaging.smtp).toBeUndefined();
  });
});
