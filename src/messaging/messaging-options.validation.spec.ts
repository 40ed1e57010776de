import type { MessagingModuleExtras } from './messaging-options.interface.js';
import { isProviderInstance, validateMessagingExtras } from './messaging-extras.validation.js';
import { MessagingOptionsError, validateMessagingOptions } from './messaging-options.validation.js';

const SECRET = 's'.repeat(32);
const SID = `AC${'a'.repeat(32)}`;

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MessagingOptionsError) return error.message;
    throw error;
  }
  throw new Error('expected MessagingOptionsError');
}

describe('validateMessagingOptions', () => {
  it('returns valid options unchanged', () => {
    const options = {
      auth: { jwtSecret: SECRET, issuer: 'me' },
      smtp: { host: 'smtp.example.com', port: 587, secure: false, from: 'App <no-reply@example.com>' },
      twilio: { accountSid: SID, authToken: 'token', smsFrom: '+15551234567', apiBaseUrl: 'http://127.0.0.1:1', name: 'twilio-local-capture' },
      throttle: { limit: 10, ttlMs: 1000 },
      logs: { retentionDays: 30 },
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: 'app-1' },
      attachments: { blockedExtensions: ['.EXE', 'docm'] },
      queue: { workers: false, concurrency: 4, attempts: 3, backoffMs: 0 },
    };
    expect(validateMessagingOptions(options, true)).toBe(options);
  });

  it.each([
    ['a cluster', { cluster: { nodes: [{ host: '10.0.0.1', port: 7000 }], password: 'p' }, keyPrefix: 'app' }],
    ['Sentinels', { sentinel: { sentinels: [{ host: 's1', port: 26379 }], name: 'main', sentinelPassword: 's', password: 'p' } }],
  ])('accepts %s as the Redis', (_label, redis) => {
    const options = { auth: { jwtSecret: SECRET }, redis };
    expect(validateMessagingOptions(options, true)).toBe(options);
  });

  it.each([
    ['no auth while controllers are on', { auth: undefined }, 'auth is required while controllers are on'],
    ['no JWT secret nor guard', { auth: {} }, 'auth.jwtSecret is required (or auth.jwksUri, or auth.guard)'],
    ['a JWKS that is not http(s)', { auth: { jwksUri: 'ftp://idp.test/jwks.json' } }, 'auth.jwksUri must be an http(s) URL'],
    ['alg none', { auth: { jwtSecret: SECRET, algorithms: ['none'] } }, 'auth.algorithms must list only'],
    ['RS256 without a JWKS', { auth: { jwtSecret: SECRET, algorithms: ['RS256'] } }, 'auth.algorithms lists RS256, which needs auth.jwksUri'],
    ['requireScopes not a boolean', { auth: { jwtSecret: SECRET, requireScopes: 'yes' } }, 'auth.requireScopes must be true or false'],
    ['a tenant claim with a space', { auth: { jwtSecret: SECRET, tenantClaim: 'org id' } }, 'auth.tenantClaim must be a claim name'],
    ['a short secret', { auth: { jwtSecret: 'short' } }, 'auth.jwtSecret must be a string of at least 32 characters'],
    ['a secret and a guard', { auth: { jwtSecret: SECRET, guard: { canActivate: () => true } } }, 'auth.guard cannot be combined'],
    ['a guard without canActivate', { auth: { guard: {} } }, 'auth.guard must be a guard class or an object with canActivate()'],
    ['an SMTP port out of range', { smtp: { host: 'h', port: 70000, secure: false, from: 'a@b.c' } }, 'smtp.port must be an integer from 1 to 65535'],
    ['an SMTP user without pass', { smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c', user: 'u' } }, 'smtp.pass is required when smtp.user is set'],
    ['a From with a line break', { smtp: { host: 'h', port: 25, secure: false, from: 'a@b.c\r\nBcc: x@y.z' } }, 'smtp.from must be'],
    ['a bad Twilio SID', { twilio: { accountSid: 'AC1', authToken: 't' } }, 'twilio.accountSid must be "AC" followed by 32 hex digits'],
    ['a non-HTTP Twilio base URL', { twilio: { accountSid: SID, authToken: 't', apiBaseUrl: 'file:///etc' } }, 'twilio.apiBaseUrl must be an http(s) URL'],
    ['a Twilio name with spaces', { twilio: { accountSid: SID, authToken: 't', name: 'My Twilio' } }, 'twilio.name must be 1 to 64 of'],
    [
      'a name on a failover Twilio account',
      { twilio: { accountSid: SID, authToken: 't' }, twilioFailover: [{ accountSid: SID, authToken: 't', name: 'backup' }] },
      'twilioFailover[0].name is not supported',
    ],
    ['a zero throttle limit', { throttle: { limit: 0, ttlMs: 1 } }, 'throttle.limit must be an integer from 1'],
    ['a negative retention', { logs: { retentionDays: -1 } }, 'logs.retentionDays must be a positive number'],
    ['a Redis URL of another scheme', { redis: { url: 'http://127.0.0.1:6379' } }, 'redis.url must be a redis:// or rediss:// URL'],
    ['a Redis section without url', { redis: {} }, 'redis needs exactly one of url, sentinel and cluster'],
    [
      'a cluster beside Sentinels',
      { redis: { cluster: { nodes: [{ host: 'a', port: 7000 }] }, sentinel: { sentinels: [{ host: 'b', port: 26379 }], name: 'm' } } },
      'redis needs exactly one of url, sentinel and cluster (got sentinel and cluster)',
    ],
    ['a cluster without nodes', { redis: { cluster: { nodes: [] } } }, 'redis.cluster.nodes must be a non-empty array of { host, port }'],
    ['a cluster node without a port', { redis: { cluster: { nodes: [{ host: 'a', port: 7000 }, { host: 'b' }] } } }, 'redis.cluster.nodes [1] must be'],
    ['Sentinels without a primary name', { redis: { sentinel: { sentinels: [{ host: 'a', port: 26379 }] } } }, 'redis.sentinel.name is required'],
    ['a Redis key prefix with a glob', { redis: { url: 'redis://h', keyPrefix: 'a*' } }, 'redis.keyPrefix must be 1 to 64'],
    ['a section that is not an object', { twilio: 'yes' }, 'twilio must be an object'],
    ['queue workers that are not a boolean', { queue: { workers: 'yes' } }, 'queue.workers must be true or false'],
    ['a zero queue concurrency', { queue: { concurrency: 0 } }, 'queue.concurrency must be an integer from 1 to 1000'],
    ['too many attempts', { queue: { attempts: 500 } }, 'queue.attempts must be an integer from 1 to 100'],
    ['a fractional backoff', { queue: { backoffMs: 1.5 } }, 'queue.backoffMs must be an integer from 0 to 3600000'],
    ['blocked extensions that are not a list', { attachments: { blockedExtensions: 'exe' } }, 'attachments.blockedExtensions must be a list of extensions'],
    ['a blocked extension with a dot inside', { attachments: { blockedExtensions: ['exe', 'tar.gz'] } }, 'attachments.blockedExtensions must be a list of extensions'],
  ])('refuses %s, naming the option', (_label, options, message) => {
    const withAuth = 'auth' in options ? options : { auth: { jwtSecret: SECRET }, ...options };
    expect(problemsOf(() => validateMessagingOptions(withAuth, true))).toContain(`MessagingModule options: `);
    expect(problemsOf(() => validateMessagingOptions(withAuth, true))).toContain(message);
  });

  it('refuses a JWKS beside a guard, and takes a JWKS alone or beside a secret', () => {
    const guard = { canActivate: (): boolean => true };
    const jwksUri = 'https://idp.test/jwks.json';
    expect(problemsOf(() => validateMessagingOptions({ auth: { jwksUri, guard } }, true))).toContain('auth.guard cannot be combined');
    expect(validateMessagingOptions({ auth: { jwksUri } }, true)).toEqual({ auth: { jwksUri } });
    const both = { auth: { jwksUri, jwtSecret: SECRET, algorithms: ['HS256', 'ES256'] } };
    expect(validateMessagingOptions(both, true)).toEqual(both);
  });

  it('needs no auth when the controllers are off', () => {
    expect(validateMessagingOptions({}, false)).toEqual({});
  });

  it('lists every problem at once, without echoing values', () => {
    const message = problemsOf(() =>
      validateMessagingOptions({ auth: { jwtSecret: 'hunter2' }, throttle: { limit: 0, ttlMs: 0 } }, true),
    );
    expect(message).toContain('auth.jwtSecret');
    expect(message).toContain('throttle.limit');
    expect(message).toContain('throttle.ttlMs');
    expect(message).not.toContain('hunter2');
  });

  it('checks publicBaseUrl: an absolute http(s) URL without query or fragment', () => {
    const auth = { jwtSecret: 'x'.repeat(32) };
    expect(() => validateMessagingOptions({ auth, publicBaseUrl: 'https://example.com/comms/' }, true)).not.toThrow();
    expect(problemsOf(() => validateMessagingOptions({ auth, publicBaseUrl: 'example.com' }, true))).toContain('publicBaseUrl must be');
    expect(problemsOf(() => validateMessagingOptions({ auth, publicBaseUrl: 'https://e.com/#a' }, true))).toContain('publicBaseUrl must be');
  });

  it('refuses a factory that returned nothing', () => {
    expect(problemsOf(() => validateMessagingOptions(undefined, true))).toContain('expected an object');
  });
});

describe('validateMessagingExtras', () => {
  const provider = { name: 'vendor', send: () => Promise.resolve({ messageId: 'x' }), verify: () => Promise.resolve() };

  it.each<MessagingModuleExtras>([
    { controllers: false },
    { console: false },
    { routePrefix: 'api/messaging' },
    { routePrefix: '/notify/' },
    { providers: { sms: provider } },
    { providers: { email: class Vendor {} as never } },
  ])('accepts %o', (extras) => {
    expect(() => validateMessagingExtras(extras)).not.toThrow();
  });

  it.each<[string, MessagingModuleExtras, string]>([
    ['a prefix with a query', { routePrefix: 'messaging?x=1' }, 'routePrefix must be a URL path'],
    ['a prefix with a parent segment', { routePrefix: 'a/../b' }, 'routePrefix must be a URL path'],
    ['controllers that is not boolean', { controllers: 'no' as never }, 'controllers must be true or false'],
    ['console that is not boolean', { console: 'off' as never }, 'console must be true or false'],
    ['a provider without send()', { providers: { sms: { name: 'x', verify: () => Promise.resolve() } as never } }, 'providers.sms must be'],
  ])('refuses %s', (_label, extras, message) => {
    expect(problemsOf(() => validateMessagingExtras(extras))).toContain(message);
  });

  it('recognises a provider instance by its name, send() and verify()', () => {
    expect(isProviderInstance(provider)).toBe(true);
    expect(isProviderInstance({ ...provider, name: '' })).toBe(false);
  });
});

describe('logs.cursorSecret', () => {
  it('takes a secret of at least 32 characters and refuses a short one', () => {
    expect(() => validateMessagingOptions({ auth: { jwtSecret: 'j'.repeat(32) }, logs: { cursorSecret: 'c'.repeat(32) } }, true)).not.toThrow();
    expect(() => validateMessagingOptions({ auth: { jwtSecret: 'j'.repeat(32) }, logs: { cursorSecret: 'short' } }, true)).toThrow(
      /logs\.cursorSecret must be a string of at least 32 characters/,
    );
  });
});
