import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { rawHttp, rawRequest } from './helpers/raw-http.js';
import { bearer } from './helpers/tokens.js';

/**
 * REQUEST_TIMEOUT_MS bounds how long a client may take to send one request
 * (headers and body). A short timeout here; "in time" means well before four
 * times it, which leaves the server's once-a-second check plenty of room: a
 * bound against hanging forever, not a performance assertion.
 */
const TIMEOUT_MS = 2_000;
const IN_TIME_MS = 4 * TIMEOUT_MS;
/** A byte every DRIP_MS: the whole body would take far longer than IN_TIME_MS. */
const DRIP_MS = 200;
const BODY = JSON.stringify({ to: '+14155550100', body: 'x'.repeat(200) });

function drippingSms(authorization: string): string[] {
  const head = rawHttp('POST /messaging/sms HTTP/1.1', {
    authorization,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(BODY)),
  });
  return [head, ...BODY.split('')];
}

describe('request timeouts (REQUEST_TIMEOUT_MS)', () => {
  const database = testDatabaseUri('request-timeouts');
  let twilio: FakeTwilio;
  let app: RunningApp;

  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    app = await startApp({
      MONGODB_URI: database,
      ...twilio.env(),
      TWILIO_SMS_FROM: '+15550000001',
      REQUEST_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });
  afterEach(() => twilio.reset());
  afterAll(async () => {
    await app.stop();
    await twilio.stop();
    await dropTestDatabase(database);
  });

  it('closes a connection whose body arrives a byte at a time, with 408, and sends nothing', async () => {
    const response = await rawRequest(app.url, drippingSms(bearer({ sub: 'drip' }).authorization), {
      gapMs: DRIP_MS,
      giveUpMs: IN_TIME_MS,
    });
    expect({ closedByServer: response.closedByServer, status: response.status }).toEqual({ closedByServer: true, status: 408 });
    expect(twilio.requestCount('messages')).toBe(0);
  });

  it('closes a connection whose headers arrive a line at a time', async () => {
    const lines = ['GET /messaging/health HTTP/1.1\r\n', 'Host: 127.0.0.1\r\n'];
    for (let i = 0; i < 100; i += 1) lines.push(`X-Slow-${i}: 1\r\n`);
    const response = await rawRequest(app.url, lines, { gapMs: DRIP_MS, giveUpMs: IN_TIME_MS });
    expect({ closedByServer: response.closedByServer, status: response.status }).toEqual({ closedByServer: true, status: 408 });
  });

  it('does not cut a send that takes longer than the timeout once the request has arrived', async () => {
    twilio.failNext(faults.slow(TIMEOUT_MS + 1_000));
    const response = await request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'slow-send' }),
      body: { to: '+14155550100', body: 'hello' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'sent' });
    expect(twilio.requestCount('messages')).toBe(1);
  });
});

describe('request timeouts and graceful shutdown', () => {
  const database = testDatabaseUri('request-timeouts-shutdown');
  afterAll(() => dropTestDatabase(database));

  it('a request still dripping in at SIGTERM is cut by the timeout, and the process exits 0', async () => {
    const app = await startApp({ MONGODB_URI: database, REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) });
    const dripping = rawRequest(app.url, drippingSms(bearer({ sub: 'drip-at-shutdown' }).authorization), {
      gapMs: DRIP_MS,
      giveUpMs: IN_TIME_MS,
    });
    await new Promise((resolve) => setTimeout(resolve, 2 * DRIP_MS));
    const exitCode = app.stop('SIGTERM');
    const response = await dripping;
    expect(response.closedByServer).toBe(true);
    expect(await exitCode).toBe(0);
  });
});
