import { clientFromClaims, scopesOf } from './token-claims.js';

describe('clientFromClaims: tenant and scopes', () => {
  const now = Math.floor(Date.now() / 1000);
  const base = { sub: 'billing', exp: now + 60 };

  it('takes the tenant from the tenant claim, else from sub', () => {
    expect(clientFromClaims({ ...base, tenant: 'acme' })).toEqual({ subject: 'billing', tenant: 'acme' });
    expect(clientFromClaims(base)).toEqual({ subject: 'billing', tenant: 'billing' });
  });

  it('reads the claim JWT_TENANT_CLAIM names, namespaced ones included', () => {
    const claim = 'https://fluxkit.test/org';
    expect(clientFromClaims({ ...base, [claim]: 'org_42', tenant: 'ignored' }, claim)).toMatchObject({ tenant: 'org_42' });
  });

  it.each([
    ['a number', 42],
    ['an empty string', ''],
    ['a list', ['acme']],
    ['a line break', 'acme\nforged'],
    ['a space', 'acme corp'],
    ['129 characters', 'a'.repeat(129)],
    ['a leading dot', '.acme'],
  ])('refuses a tenant claim that is %s', (_label, tenant) => {
    expect(clientFromClaims({ ...base, tenant })).toBe(false);
  });

  it('carries scopes only when the token has a scope claim', () => {
    expect(clientFromClaims({ ...base, scope: 'messaging:send messaging:logs:read' })).toEqual({
      subject: 'billing',
      tenant: 'billing',
      scopes: ['messaging:send', 'messaging:logs:read'],
    });
    expect(clientFromClaims({ ...base, scope: '' })).toMatchObject({ scopes: [] });
    expect(clientFromClaims(base)).not.toHaveProperty('scopes');
  });
});

describe('scopesOf', () => {
  it('reads scope (space-separated) and scp (a list, or a string as Entra sends it), united', () => {
    expect(scopesOf({ scope: 'a  b' })).toEqual(['a', 'b']);
    expect(scopesOf({ scp: ['a', 'c'] })).toEqual(['a', 'c']);
    expect(scopesOf({ scp: 'a c' })).toEqual(['a', 'c']);
    expect(scopesOf({ scope: 'a b', scp: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
    expect(scopesOf({})).toBeUndefined();
  });

  it.each([
    ['scope a number', { scope: 7 }],
    ['scp a list holding a number', { scp: ['a', 7] }],
    ['scp an object', { scp: { a: true } }],
    ['a scope with a control character', { scope: 'a\u0000b' }],
    ['a scope with a quote', { scope: 'a"b' }],
    ['more than 100 scopes', { scope: Array.from({ length: 101 }, (_, i) => `s${i}`).join(' ') }],
  ])('refuses %s', (_label, payload) => {
    expect(scopesOf(payload)).toBe(false);
  });
});
