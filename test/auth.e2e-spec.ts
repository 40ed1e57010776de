import jwt from 'jsonwebtoken';
import { startApp, TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { bearer, signToken, unsignedToken } from './helpers/tokens.js';

/** A protected route that needs nothing but a token and the database. */
const PROTECTED = '/messaging/logs';

describe('authentication', () => {
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: testDatabaseUri('auth'), JWT_ISSUER: 'fluxkit-tests', JWT_AUDIENCE: 'messaging' });
  });
  afterAll(() => app.stop());

  const get = (headers: Record<string, string>) => request(`${app.url}${PROTECTED}`, { headers });
  const valid = { issuer: 'fluxkit-tests', audience: 'messaging' };

  it('accepts a valid HS256 token with the configured issuer and audience', async () => {
    const response = await get(bearer(valid));
    expect(response.status).toBe(200);
  });

  it.each<[string, () => Record<string, string>]>([
    ['no Authorization header', () => ({})],
    ['a non-bearer scheme', () => ({ authorization: `Basic ${Buffer.from('a:b').toString('base64')}` })],
    ['a malformed token', () => ({ authorization: 'Bearer not.a.jwt' })],
    ['a wrong signature', () => bearer({ ...valid, secret: 'another-secret-0123456789abcdef0123456789' })],
    ['an expired token', () => bearer({ ...valid, expiresInSeconds: -10 })],
    ['alg none', () => ({ authorization: `Bearer ${unsignedToken()}` })],
    ['HS512 with the right secret', () => bearer({ ...valid, algorithm: 'HS512' })],
    ['the wrong issuer', () => bearer({ ...valid, issuer: 'someone-else' })],
    ['the wrong audience', () => bearer({ ...valid, audience: 'other-api' })],
    ['no issuer or audience', () => bearer()],
    [
      'no exp claim',
      () => ({ authorization: `Bearer ${jwt.sign({ sub: 'x' }, TEST_JWT_SECRET, { ...valid, algorithm: 'HS256' })}` }),
    ],
  ])('answers 401 UNAUTHORIZED for %s', async (_label, headers) => {
    const response = await get(headers());
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'UNAUTHORIZED', message: 'Missing or invalid bearer token' } });
  });

  it('does not ask for a token on GET /messaging/health', async () => {
    const response = await request(`${app.url}/messaging/health`);
    expect(response.status).toBe(200);
  });

  it('refuses a token signed for another deployment even when it looks fresh', async () => {
    const token = signToken({ ...valid, secret: 'x'.repeat(40), expiresInSeconds: 3600 });
    const response = await get({ authorization: `Bearer ${token}` });
    expect(response.status).toBe(401);
  });
});
