import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { IdempotencyRecords } from './helpers/idempotency-records.js';
import { PrivateDatabase } from './helpers/private-database.js';
import { bearer } from './helpers/tokens.js';

/** Idempotency-Key when the store is down, and for requests refused before the store is reached. */
const SMS = { to: '+15551230001', body: 'hello' };
const POLL_ATTEMPTS = 100;
const POLL_INTERVAL_MS = 200;

let twilio: FakeTwilio;
beforeAll(async () => {
  twilio = await FakeTwilio.start();
});
afterEach(() => twilio.reset());
afterAll(() => twilio.stop());

describe('the idempotency store down', () => {
  let database: PrivateDatabase;
  let app: RunningApp;

  beforeAll(async () => {
    database = await PrivateDatabase.start();
    app = await startApp({ MONGODB_URI: database.uri('idempotency_outage'), ...twilio.env(), TWILIO_SMS_FROM: '+15005550006' });
  });
  afterAll(async () => {
    await app.stop();
    await database.destroy();
  });

  const send = () =>
    request(`${app.url}/messaging/sms`, { headers: { ...bearer({ sub: 'outage-client' }), 'idempotency-key': 'outage-1' }, body: SMS });

  it('answers 503 SERVICE_UNAVAILABLE and sends nothing; once it is back, the same key sends', async () => {
    await database.down();
    const refused = await send();
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The idempotency store is unavailable; nothing was sent' } });
    expect(twilio.requestCount('messages')).toBe(0);

    await database.up();
    let answer = await send();
    // The driver reconnects on its own; until it has, the answer is still 503.
    for (let attempt = 1; answer.status === 503 && attempt < POLL_ATTEMPTS; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      answer = await send();
    }
    expect(answer.status).toBe(200);
    expect(answer.headers.get('idempotent-replayed')).toBeNull();
    expect(twilio.requestCount('messages')).toBe(1);
  });
});

describe('requests refused before the key is looked at', () => {
  const databaseUri = testDatabaseUri('idempotency-guards');
  let app: RunningApp;
  let records: IdempotencyRecords;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_SMS_FROM: '+15005550006', THROTTLE_LIMIT: '2', THROTTLE_TTL_MS: '60000' });
    records = await IdempotencyRecords.open(databaseUri);
  });
  afterAll(async () => {
    await records.close();
    await app.stop();
    await dropTestDatabase(databaseUri);
  });

  const send = (sub: string | undefined, key: string) =>
    request(`${app.url}/messaging/sms`, { headers: { ...(sub ? bearer({ sub }) : {}), 'idempotency-key': key }, body: SMS });

  it('authenticates first: without a token the answer is 401 and no key is stored', async () => {
    const answer = await send(undefined, 'no-token');
    expect(answer.status).toBe(401);
    expect(await records.find('anonymous', 'no-token')).toBeNull();
  });

  it('throttles first: a rate-limited request stores no key, leaving it free for a later retry', async () => {
    const client = 'throttled-client';
    expect((await send(client, 'filler-1')).status).toBe(200);
    expect((await send(client, 'filler-2')).status).toBe(200);
    const limited = await send(client, 'after-limit');
    expect(limited.status).toBe(429);
    expect(await records.find(client, 'after-limit')).toBeNull();
    expect(twilio.requestCount('messages')).toBe(2);
  });
});

describe('shutdown while a duplicate waits for the first request', () => {
  const databaseUri = testDatabaseUri('idempotency-shutdown');
  afterAll(() => dropTestDatabase(databaseUri));

  it('answers the waiting duplicate 409 at once, lets the first request finish, and exits 0', async () => {
    const app = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_SMS_FROM: '+15005550006' });
    const send = () =>
      request(`${app.url}/messaging/sms`, { headers: { ...bearer({ sub: 'draining' }), 'idempotency-key': 'drain-1' }, body: SMS });
    twilio.failNext(faults.slow(5_000)); // the first request is at the provider for 5 s
    const first = send();
    await twilio.waitForRequests(1);
    const duplicate = send();
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // the duplicate is waiting by now

    const exited = app.stop('SIGTERM');
    const waiting = await duplicate;
    expect(waiting.status).toBe(409);
    expect(waiting.body['error']).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: { reason: 'in_progress' } });
    expect((await first).status).toBe(200);
    expect(await exited).toBe(0);
    expect(twilio.requestCount('messages')).toBe(1);
    expect(app.output()).not.toContain('MaxListenersExceededWarning');
  });
});
