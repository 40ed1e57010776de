import jwt from 'jsonwebtoken';
import { TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';

/** Every authenticated route, with a request the guards let through to the handler (whatever it answers then). */
const ROUTES = [
  { scope: 'messaging:send', method: 'POST', path: '/messaging/email', body: {} },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/email/template', body: {} },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/email/template/preview', body: {} },
  { scope: 'messaging:send', method: 'GET', path: '/messaging/email/templates' },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/sms', body: {} },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/whatsapp', body: {} },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/sms/batch', body: {} },
  { scope: 'messaging:send', method: 'POST', path: '/messaging/email/template/batch', body: {} },
  { scope: 'messaging:send', method: 'DELETE', path: '/messaging/messages/65a1b2c3d4e5f6a7b8c9d0e1' },
  { scope: 'messaging:logs:read', method: 'GET', path: '/messaging/logs' },
  { scope: 'messaging:logs:read', method: 'GET', path: '/messaging/logs/65a1b2c3d4e5f6a7b8c9d0e1' },
] as const;

/** The scope claims tried, and the route scopes each one opens in each mode. */
const HOLDERS: { label: string; claims: Record<string, unknown>; opens: { optional: string[]; required: string[] } }[] = [
  { label: 'no scope claim', claims: {}, opens: { optional: ['messaging:send', 'messaging:logs:read'], required: [] } },
  { label: 'an empty scope', claims: { scope: '' }, opens: { optional: [], required: [] } },
  { label: 'an unrelated scope', claims: { scope: 'openid profile' }, opens: { optional: [], required: [] } },
  { label: 'messaging:send', claims: { scope: 'messaging:send' }, opens: { optional: ['messaging:send'], required: ['messaging:send'] } },
  {
    label: 'messaging:logs:read (scp list)',
    claims: { scp: ['messaging:logs:read'] },
    opens: { optional: ['messaging:logs:read'], required: ['messaging:logs:read'] },
  },
  {
    label: 'messaging:admin',
    claims: { scope: 'messaging:admin' },
    opens: { optional: ['messaging:send', 'messaging:logs:read'], required: ['messaging:send', 'messaging:logs:read'] },
  },
];

const tokenWith = (claims: Record<string, unknown>) =>
  jwt.sign({ sub: 'scoped-client', exp: Math.floor(Date.now() / 1000) + 600, ...claims }, TEST_JWT_SECRET, { algorithm: 'HS256' });

describe('scopes per route', () => {
  const environment = testEnvironment({ name: 'access_scopes' });
  const apps: Record<'optional' | 'required', RunningApp | undefined> = { optional: undefined, required: undefined };

  beforeAll(async () => {
    apps.optional = await environment.startApp();
    apps.required = await environment.startApp({ AUTH_REQUIRE_SCOPES: 'true' });
  });

  const call = (mode: 'optional' | 'required', route: (typeof ROUTES)[number], token: string) =>
    request(`${apps[mode]?.url}${route.path}`, {
      method: route.method,
      headers: { authorization: `Bearer ${token}` },
      ...('body' in route ? { body: route.body } : {}),
    });

  describe.each(['optional', 'required'] as const)('AUTH_REQUIRE_SCOPES %s', (mode) => {
    it.each(HOLDERS.map((holder) => [holder.label, holder] as const))('a token with %s', async (_label, holder) => {
      const token = tokenWith(holder.claims);
      for (const route of ROUTES) {
        const response = await call(mode, route, token);
        const open = holder.opens[mode].includes(route.scope);
        const seen = `${route.method} ${route.path}: ${response.status}`;
        if (open) {
          expect([seen, response.status]).not.toEqual([seen, 403]);
          expect([seen, response.status]).not.toEqual([seen, 401]);
        } else {
          expect([seen, response.body]).toEqual([
            seen,
            { error: { code: 'FORBIDDEN', message: `This route needs the ${route.scope} scope`, details: { scope: route.scope } } },
          ]);
        }
      }
    });
  });

  it('never opens the health check to scopes: it stays public', async () => {
    expect((await request(`${apps.required?.url}/messaging/health`)).status).toBe(200);
  });
});
