import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { rawHttp, rawRequest, type RawResponse } from './helpers/raw-http.js';
import { bearer } from './helpers/tokens.js';

/**
 * Answers decided before routing (by Node's HTTP parser, Fastify's router,
 * path checks) in the envelope, with the security headers of every other
 * answer. Raw sockets: an HTTP client would refuse or normalise these.
 */

/** Headers of any answer that are not security headers (X-Request-Id differs per request). */
const TRANSPORT_HEADERS = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding', 'x-request-id']);
const LONG = 'a'.repeat(20_000);

describe('errors before routing', () => {
  const database = testDatabaseUri('pre-routing-errors');
  let app: RunningApp;
  /** The security headers of an ordinary error answer (an unknown route), as the app sends them. */
  let expectedSecurityHeaders: Record<string, string>;

  const send = (requestLine: string, headers: Record<string, string> = {}, body = '') =>
    rawRequest(app.url, [rawHttp(requestLine, { connection: 'close', ...headers }, body)]);

  function expectEnvelope(response: RawResponse, status: number, code: string): void {
    expect({ status: response.status, contentType: response.headers['content-type'] }).toEqual({
      status,
      contentType: 'application/json; charset=utf-8',
    });
    const body = JSON.parse(response.body) as { error?: { code?: string; message?: unknown } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error?.code).toBe(code);
    expect(typeof body.error?.message).toBe('string');
    for (const [name, value] of Object.entries(expectedSecurityHeaders)) {
      expect(`${name}: ${response.headers[name] ?? '(missing)'}`).toBe(`${name}: ${value}`);
    }
  }

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: database, REQUEST_TIMEOUT_MS: '2000' });
    const unknownRoute = await send('GET /nothing HTTP/1.1');
    expect(unknownRoute.status).toBe(404);
    expectedSecurityHeaders = Object.fromEntries(Object.entries(unknownRoute.headers).filter(([name]) => !TRANSPORT_HEADERS.has(name)));
    expect(expectedSecurityHeaders['x-content-type-options']).toBe('nosniff');
    expect(expectedSecurityHeaders['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
  });
  afterAll(async () => {
    await app.stop();
    await dropTestDatabase(database);
  });

  it('414 URI_TOO_LONG for an over-long path segment, without echoing the path', async () => {
    const response = await send(`GET /messaging/logs/${'a'.repeat(5_000)} HTTP/1.1`, bearer());
    expectEnvelope(response, 414, 'URI_TOO_LONG');
    expect(response.body).not.toContain('aaaaaaaaaa');
  });

  it('400 BAD_REQUEST for a path segment that is not valid percent-encoding', async () => {
    const response = await send('GET /messaging/logs/%zz%E0%A4%A HTTP/1.1', bearer());
    expectEnvelope(response, 400, 'BAD_REQUEST');
    expect(response.body).not.toContain('%zz');
  });

  it.each([
    ['a 20 KB token', () => send('GET /messaging/logs HTTP/1.1', { authorization: `Bearer ${LONG}` })],
    ['a 100 KB cursor', () => send(`GET /messaging/logs?cursor=${'a'.repeat(100_000)} HTTP/1.1`, bearer())],
  ])('431 HEADERS_TOO_LARGE for %s, without echoing it', async (_label, request) => {
    const response = await request();
    expectEnvelope(response, 431, 'HEADERS_TOO_LARGE');
    expect(response.body).not.toContain('aaaaaaaaaa');
  });

  it.each([
    ['broken chunking', { 'transfer-encoding': 'chunked', 'content-type': 'application/json' }, 'zz\r\n{}\r\n0\r\n\r\n'],
    ['Content-Length with Transfer-Encoding', { 'content-length': '2', 'transfer-encoding': 'chunked' }, '2\r\n{}\r\n0\r\n\r\n'],
    ['a header name with a space', { 'bad header': 'x' }, ''],
  ])('400 BAD_REQUEST for %s', async (_label, headers, body) => {
    const response = await send('POST /messaging/sms HTTP/1.1', { ...bearer(), ...headers }, body);
    expectEnvelope(response, 400, 'BAD_REQUEST');
  });

  it('400 BAD_REQUEST for a request line that is not HTTP', async () => {
    expectEnvelope(await rawRequest(app.url, ['NOT HTTP AT ALL\r\n\r\n']), 400, 'BAD_REQUEST');
  });

  it('417 EXPECTATION_FAILED for an Expect header other than 100-continue', async () => {
    expectEnvelope(await send('GET /messaging/health HTTP/1.1', { expect: 'something-else' }), 417, 'EXPECTATION_FAILED');
  });

  it('408 REQUEST_TIMEOUT for a body that drips in', async () => {
    const head = rawHttp('POST /messaging/sms HTTP/1.1', { ...bearer(), 'content-type': 'application/json', 'content-length': '100' });
    const response = await rawRequest(app.url, [head, ...'{"to":"+14155550100"'.split('')], { gapMs: 200, giveUpMs: 8_000 });
    expectEnvelope(response, 408, 'REQUEST_TIMEOUT');
  });

  describe('dot segments are 404 NOT_FOUND, whatever the token', () => {
    it.each(['/messaging/docs/../logs', '/messaging/docs/%2e%2e/logs', '/messaging/logs/..', '/messaging/logs/%2E%2e', '/messaging/./logs', '/messaging/logs/.', '/messaging/docs/./swagger-ui.css'])(
      '%s',
      async (path) => {
        expectEnvelope(await send(`GET ${path} HTTP/1.1`, bearer()), 404, 'NOT_FOUND');
        expectEnvelope(await send(`GET ${path} HTTP/1.1`), 404, 'NOT_FOUND');
      },
    );
  });

  describe('the docs route serves the UI and nothing else of swagger-ui-dist', () => {
    it('serves every file the UI page links to', async () => {
      const page = await send('GET /messaging/docs HTTP/1.1');
      expect(page.status).toBe(200);
      const links = [...page.body.matchAll(/(?:href|src)="\.\/docs\/([^"]+)"/g)].map((match) => match[1]);
      expect(links.length).toBeGreaterThanOrEqual(5);
      for (const file of links) expect(`${file}: ${(await send(`GET /messaging/docs/${file} HTTP/1.1`)).status}`).toBe(`${file}: 200`);
    });

    it.each([
      'package.json',
      'README.md',
      'swagger-ui-bundle.js.map',
      'swagger-ui.js',
      'absolute-path.js',
      'index.html',
      'oauth2-redirect.html',
      'docs/package.json',
      'docs/swagger-ui-bundle.js',
    ])('404 NOT_FOUND for /messaging/docs/%s', async (file) => {
      expectEnvelope(await send(`GET /messaging/docs/${file} HTTP/1.1`), 404, 'NOT_FOUND');
    });
  });
});
