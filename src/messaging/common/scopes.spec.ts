import { grantsScope, isAdmin, MessagingScope } from './scopes.js';

const { SEND, LOGS_READ, ADMIN } = MessagingScope;

describe('grantsScope', () => {
  it('grants a held scope, and every scope to messaging:admin', () => {
    expect(grantsScope({ scopes: [SEND] }, SEND, true)).toBe(true);
    expect(grantsScope({ scopes: [SEND] }, LOGS_READ, false)).toBe(false);
    for (const scope of [SEND, LOGS_READ, ADMIN]) expect(grantsScope({ scopes: [ADMIN] }, scope, true)).toBe(true);
  });

  it('holds a token with a scope claim to it, even when scopes are not required', () => {
    expect(grantsScope({ scopes: [] }, SEND, false)).toBe(false);
    expect(grantsScope({ scopes: ['openid'] }, LOGS_READ, false)).toBe(false);
  });

  it('lets a token without a scope claim through unless scopes are required, but never as admin', () => {
    expect(grantsScope({}, SEND, false)).toBe(true);
    expect(grantsScope(undefined, LOGS_READ, false)).toBe(true);
    expect(grantsScope({}, ADMIN, false)).toBe(false);
    expect(grantsScope({}, SEND, true)).toBe(false);
  });

  it('isAdmin needs the scope itself', () => {
    expect(isAdmin({ scopes: [ADMIN] })).toBe(true);
    expect(isAdmin({})).toBe(false);
    expect(isAdmin({ scopes: [SEND, LOGS_READ] })).toBe(false);
  });
});
