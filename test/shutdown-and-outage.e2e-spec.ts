import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio, faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { MessageLogReader } from './helpers/message-log-reader.js';
import { PrivateDatabase } from './helpers/private-database.js';
import { bearer } from './helpers/tokens.js';

const SMS_FROM = '+15005550006';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  const databaseUri = testDatabaseUri('shutdown');
  let twilio: FakeTwilio;
  let logs: MessageLogReader;

  beforeAll(async () => {
    twilio = await FakeTwilio.start();
    logs = await MessageLogReader.open(databaseUri);
  });
  afterAll(async () => {
    await logs.close();
    await twilio.stop();
    await dropTestDatabase(databaseUri);
  });

  it('finishes an in-flight send on SIGTERM, then refuses new connections and exits 0', async () => {
    const app: RunningApp = await startApp({ MONGODB_URI: databaseUri, ...twilio.env(), TWILIO_SMS_FROM: SMS_FROM });
    twilio.failNext(faults.slow(1_500));
    const inFlight = request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'shutdown-client' }),
      body: { to: '+15551230000', body: 'sent while the server stops' },
    });
    while (twilio.requestCount('messages') === 0) await sleep(20);
    const exited = app.stop('SIGTERM');

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'sent', channel: 'sms', to: '+15551230000' });
    expect(await exited).toBe(0);
    await expect(fetch(`${app.url}/messaging/health`)).rejects.toThrow();

    const rows = await logs.byRequester('shutdown-client');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'sent', messageId: (response.body as { messageId: string }).messageId });
  });
});

describe('database outage', () => {
  let database: PrivateDatabase;
  let twilio: FakeTwilio;
  let app: RunningApp;

  beforeAll(async () => {
    database = await PrivateDatabase.start();
    twilio = await FakeTwilio.start();
    app = await startApp({ MONGODB_URI: database.uri('outage'), ...twilio.env(), TWILIO_SMS_FROM: SMS_FROM });
  });
  afterAll(async () => {
    await app.stop();
    await twilio.stop();
    await database.destroy();
  });

  const send = () =>
    request(`${app.url}/messaging/sms`, {
      headers: bearer({ sub: 'outage-client' }),
      body: { to: '+15551230001', body: 'hello' },
    });

  it('answers 503 SERVICE_UNAVAILABLE without calling the provider, and health 503, while MongoDB is down', async () => {
    expect((await send()).status).toBe(200);
    expect(twilio.requestCount('messages')).toBe(1);

    await database.down();
    const refused = await send();
    expect(refused.status).toBe(503);
    expect(refused.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    expect(twilio.requestCount('messages')).toBe(1);

    const health = await request(`${app.url}/messaging/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unhealthy', database: { status: 'disconnected' } });
  });
});
