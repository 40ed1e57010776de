import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import jwt from 'jsonwebtoken';
import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { JwksServer } from './helpers/jwks-server.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer, unsignedToken } from './helpers/tokens.js';

/** A protected route that needs nothing but a token and the database. */
const PROTECTED = '/messaging/logs';
const UNAUTHORIZED = { error: { code: 'UNAUTHORIZED', message: 'Missing or invalid bearer token' } };

describe('tokens from an identity provider (JWT_JWKS_URL)', () => {
  const environment = testEnvironment({ name: 'access_tokens' });
  let idp: JwksServer;
  let app: RunningApp;
  let both: RunningApp;

  beforeAll(async () => {
    idp = await JwksServer.start();
    const oidc = { JWT_JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer, JWT_AUDIENCE: idp.audience };
    // JWKS only: no HS256 secret at all.
    app = await environment.startApp({ ...oidc, JWT_SECRET: undefined });
    // Both: the header's alg picks the key.
    both = await environment.startApp(oidc);
  });
  afterAll(() => idp.stop());

  const publishedKid = (alg: string) => String(idp.jwks().keys.find((key) => key.alg === alg)?.kid);
  const get = (target: RunningApp, headers: Record<string, string>) => request(`${target.url}${PROTECTED}`, { headers });

  it.each(['RS256', 'ES256'] as const)('accepts an %s token signed by a published key', async (alg) => {
    expect((await get(app, idp.bearer({ alg }))).status).toBe(200);
  });

  it('picks up a rotated-in key without a restart', async () => {
    const before = idp.fetchCount;
    const kid = idp.rotate('RS256');
    const token = idp.token({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString())).toMatchObject({ kid });
    expect((await get(app, { authorization: `Bearer ${token}` })).status).toBe(200);
    expect(idp.fetchCount).toBeGreaterThan(before);
  });

  it.each<[string, () => Record<string, string>]>([
    ['an unknown kid', () => idp.bearer({ unpublished: true })],
    ['a published kid over another key (forged signature)', () => idp.bearer({ unpublished: true, kid: publishedKid('RS256') })],
    ['alg none', () => ({ authorization: `Bearer ${unsignedToken()}` })],
    ['the wrong issuer', () => idp.bearer({ issuer: 'https://someone-else.test/' })],
    ['the wrong audience', () => idp.bearer({ audience: 'another-api' })],
    ['no exp', () => idp.bearer({ claims: { exp: undefined } })],
    ['an expired token', () => idp.bearer({ claims: { exp: Math.floor(Date.now() / 1000) - 10 } })],
    ['an HS256 token while no JWT_SECRET is set', () => bearer()],
    ['a tenant claim that is not a tenant id', () => idp.bearer({ claims: { tenant: 'acme\nforged' } })],
    ['a scope claim that is not a string', () => idp.bearer({ claims: { scope: 42 } })],
  ])('answers 401 UNAUTHORIZED for %s', async (_label, headers) => {
    const response = await get(app, headers());
    expect(response.status).toBe(401);
    expect(response.body).toEqual(UNAUTHORIZED);
  });

  it('takes HS256 and JWKS tokens side by side when both are configured, never one as the other', async () => {
    expect((await get(both, bearer({ issuer: idp.issuer, audience: idp.audience }))).status).toBe(200);
    expect((await get(both, idp.bearer({ alg: 'ES256' }))).status).toBe(200);
    // HS/RS confusion: an HS256 token whose "secret" is the published public key.
    const jwk = idp.jwks().keys.find((key) => key.kid === publishedKid('RS256')) as JsonWebKey;
    const publicPem = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const confused = jwt.sign({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 60 }, publicPem, { algorithm: 'HS256' });
    expect((await get(both, { authorization: `Bearer ${confused}` })).status).toBe(401);
  });

  it('JWT_ALGORITHMS refuses an algorithm it does not list', async () => {
    const rsOnly = await environment.startApp({ JWT_JWKS_URL: idp.jwksUrl, JWT_ALGORITHMS: 'RS256', JWT_SECRET: undefined });
    expect((await get(rsOnly, idp.bearer({ alg: 'RS256', issuer: null, audience: null }))).status).toBe(200);
    expect((await get(rsOnly, idp.bearer({ alg: 'ES256', issuer: null, audience: null }))).status).toBe(401);
  });

  it('answers 503 SERVICE_UNAVAILABLE in the envelope while the JWKS answers with an error', async () => {
    const down = await JwksServer.start();
    const target = await environment.startApp({ JWT_JWKS_URL: down.jwksUrl, JWT_SECRET: undefined });
    try {
      down.fail(500);
      const response = await get(target, down.bearer({ issuer: null, audience: null }));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
      down.recover();
      expect((await get(target, down.bearer({ issuer: null, audience: null }))).status).toBe(200);
    } finally {
      await down.stop();
    }
  });

  it('does not hang a request on a JWKS that never answers: 503 after the fetch deadline', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const target = await environment.startApp({ JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json`, JWT_SECRET: undefined });
    try {
      const response = await get(target, idp.bearer({ issuer: null, audience: null }));
      expect(response.status).toBe(503);
      expect(response.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  }, 30_000);
});
