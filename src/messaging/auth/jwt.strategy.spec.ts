import { MessagingJwtStrategy } from './jwt.strategy.js';

describe('MessagingJwtStrategy.validate', () => {
  const strategy = new MessagingJwtStrategy({ auth: { jwtSecret: 'x'.repeat(32) } });
  const now = Math.floor(Date.now() / 1000);

  it('accepts a subject with an expiry', () => {
    expect(strategy.validate({ sub: 'billing', exp: now + 60, iat: now })).toEqual({ subject: 'billing' });
  });

  it.each([
    ['no sub', { exp: now + 60 }],
    ['empty sub', { sub: '', exp: now + 60 }],
    ['non-string sub', { sub: 42, exp: now + 60 }],
    ['no exp (a token that never expires)', { sub: 'a' }],
    ['iat far in the future', { sub: 'a', exp: now + 7200, iat: now + 3600 }],
  ])('refuses %s', (_label, payload) => {
    expect(strategy.validate(payload)).toBe(false);
  });
});
