import { MessagingJwtStrategy } from './jwt.strategy.js';

describe('MessagingJwtStrategy.validate', () => {
  const strategy = new MessagingJwtStrategy({ auth: { jwtSecret: 'x'.repeat(32) } });
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'HS256', typ: 'JWT' };

  it('accepts a subject with an expiry', () => {
    expect(strategy.validate({ header, payload: { sub: 'billing', exp: now + 60, iat: now } })).toEqual({ subject: 'billing', tenant: 'billing' });
  });

  it.each(['billing-service', 'user@example.com', 'Zoë 42', 'svc:mail/eu-1'])('accepts the subject %j', (sub) => {
    expect(strategy.validate({ header, payload: { sub, exp: now + 60 } })).toEqual({ subject: sub, tenant: sub });
  });

  it.each([
    ['no sub', { exp: now + 60 }],
    ['empty sub', { sub: '', exp: now + 60 }],
    ['blank sub', { sub: '   ', exp: now + 60 }],
    ['a sub with NUL', { sub: 'a\u0000b', exp: now + 60 }],
    ['a sub with a line break (a forged log line)', { sub: 'a\nb', exp: now + 60 }],
    ['a sub with TAB', { sub: 'a\tb', exp: now + 60 }],
    ['a sub with a C1 control', { sub: 'a\u0085b', exp: now + 60 }],
    ['a sub with U+2028', { sub: 'a\u2028b', exp: now + 60 }],
    ['a sub with a bidi override', { sub: 'a\u202Eb', exp: now + 60 }],
    ['a sub with a lone surrogate', { sub: 'a\uD800b', exp: now + 60 }],
    ['non-string sub', { sub: 42, exp: now + 60 }],
    ['no exp (a token that never expires)', { sub: 'a' }],
    ['iat far in the future', { sub: 'a', exp: now + 7200, iat: now + 3600 }],
  ])('refuses %s', (_label, payload) => {
    expect(strategy.validate({ header, payload })).toBe(false);
  });

  it.each([
    ['an unknown extension', ['exp-ext']],
    ['b64 (RFC 7797, not supported)', ['b64']],
    ['an empty list', []],
    ['not a list', 'exp'],
  ])('refuses a crit header naming %s (RFC 7515 4.1.11)', (_label, crit) => {
    expect(strategy.validate({ header: { ...header, crit }, payload: { sub: 'a', exp: now + 60 } })).toBe(false);
  });
});
