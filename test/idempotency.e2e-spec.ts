import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { isFerretDB } from './helpers/database.js';
import { faults } from './helpers/fake-twilio.js';
import { request, type JsonResponse } from './helpers/http.js';
import { IdempotencyRecords, rawPost, recordId } from './helpers/idempotency-records.js';
import { bearer } from './helpers/tokens.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const environment = testEnvironment({ name: 'idempotency', smtp: true, twilio: true });
let records: IdempotencyRecords;
let app: RunningApp;
let clients = 0;
/** A fresh token subject per test, so each test finds exactly its own log rows and keys. */
const nextClient = () => `idem-client-${++clients}`;

type Body = Record<string, unknown>;
const sms = (text = 'Your code is 482901'): Body => ({ to: '+15550001111', body: text });

function send(path: string, body: Body, client: string, key?: string): Promise<JsonResponse<Body>> {
  const headers = { ...bearer({ sub: client }), ...(key === undefined ? {} : { 'idempotency-key': key }) };
  return request<Body>(`${app.url}/messaging/${path}`, { method: 'POST', headers, body });
}
const replayed = (response: JsonResponse<Body>) => response.headers.get('idempotent-replayed');
const twilioSends = () => environment.twilio.requestCount('messages');

beforeAll(async () => {
  app = await environment.startApp({ EMAIL_FROM: 'no-reply@fluxkit.test', TWILIO_TIMEOUT_MS: '2000', TWILIO_RETRY_BACKOFF_MS: '20' });
  records = await IdempotencyRecords.open(environment.databaseUri);
});
afterAll(() => records?.close());

describe('Idempotency-Key on the send routes', () => {
  const routes: Array<[string, Body, Body, () => number]> = [
    ['sms', sms(), { body: 'Your code is 482901', to: '+15550001111' }, twilioSends],
    ['whatsapp', { to: '+15550001111', body: 'hi', media: { url: 'https://example.com/a.png' } }, { media: { url: 'https://example.com/a.png' }, body: 'hi', to: '+15550001111' }, twilioSends],
    ['email', { to: 'a@example.com', subject: 'Receipt', body: '<p>Paid</p>' }, { body: '<p>Paid</p>', subject: 'Receipt', to: 'a@example.com' }, () => environment.sink.messages.length],
    ['email/template', { to: 'a@example.com', template: 'welcome', data: { name: 'Al', appName: 'X' } }, { data: { appName: 'X', name: 'Al' }, template: 'welcome', to: 'a@example.com' }, () => environment.sink.messages.length],
  ];

  it.each(routes)('POST /messaging/%s: a retry with the key and the same body (keys reordered) replays the answer and sends nothing', async (path, body, reordered, receptions) => {
    const client = nextClient();
    const first = await send(path, body, client, 'order-1001');
    const retry = await send(path, reordered, client, 'order-1001');

    expect(first.status).toBe(200);
    expect(replayed(first)).toBeNull();
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(replayed(retry)).toBe('true');
    expect(receptions()).toBe(1);
    expect(await environment.logs.byRequester(client)).toEqual([expect.objectContaining({ status: 'sent', messageId: first.body['messageId'] })]);
  });

  it('stores the answer under sha256(subject, NUL, key) for 24 hours', async () => {
    const client = nextClient();
    const first = await send('sms', sms(), client, 'stored-1');
    const stored = await records.find(client, 'stored-1');
    expect(stored).toMatchObject({ _id: recordId(client, 'stored-1'), state: 'completed', response: { status: 200 } });
    expect(JSON.parse(stored?.response?.body ?? '')).toEqual(first.body);
    expect(stored?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((stored?.expiresAt.getTime() ?? 0) - (stored?.createdAt.getTime() ?? 0)).toBe(DAY_MS);
  });

  it('sends 50 concurrent duplicates exactly once; every answer is that send', async () => {
    const client = nextClient();
    environment.twilio.failNext(faults.slow(400)); // the first send is still at the provider while the duplicates arrive
    const answers = await Promise.all(Array.from({ length: 50 }, () => send('sms', sms('burst'), client, 'burst-1')));

    expect(twilioSends()).toBe(1);
    expect(await environment.logs.byRequester(client)).toEqual([expect.objectContaining({ status: 'sent' })]);
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true); // 409: waited longer than the bound (documented)
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    expect(new Set(ok.map((a) => JSON.stringify(a.body))).size).toBe(1);
    expect(answers.filter((a) => replayed(a) === null)).toHaveLength(1);
    expect(app.output()).not.toContain('MaxListenersExceededWarning'); // 49 waiters on one shutdown signal
  });

  it('refuses the key with another body or another route (409 IDEMPOTENCY_CONFLICT) and sends nothing', async () => {
    const client = nextClient();
    await send('sms', sms('first'), client, 'reused');
    const otherBody = await send('sms', sms('second'), client, 'reused');
    const otherRoute = await send('whatsapp', sms('first'), client, 'reused');

    for (const answer of [otherBody, otherRoute]) {
      expect(answer.status).toBe(409);
      expect(answer.body).toEqual({
        error: { code: 'IDEMPOTENCY_CONFLICT', message: expect.stringContaining('different request') as string, details: { header: 'Idempotency-Key', reason: 'body_mismatch' } },
      });
    }
    expect(twilioSends()).toBe(1);
    expect(await environment.logs.byRequester(client)).toHaveLength(1);
  });

  it('scopes keys per token subject: two clients with the same key both send', async () => {
    const [a, b] = [nextClient(), nextClient()];
    const first = await send('sms', sms(), a, 'shared-key');
    const second = await send('sms', sms(), b, 'shared-key');
    expect([first.status, second.status, replayed(second)]).toEqual([200, 200, null]);
    expect(second.body['messageId']).not.toBe(first.body['messageId']);
    expect(twilioSends()).toBe(2);
  });

  it('replays SEND_FAILED without calling the provider again', async () => {
    const client = nextClient();
    environment.twilio.failNext(faults.invalidNumber());
    const first = await send('sms', sms(), client, 'failing-1');
    const retry = await send('sms', sms(), client, 'failing-1');

    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ error: { code: 'SEND_FAILED', details: { providerCode: 21211 } } });
    expect([retry.status, replayed(retry)]).toEqual([500, 'true']);
    expect(retry.body).toEqual(first.body);
    expect(twilioSends()).toBe(1);
    expect(await environment.logs.byRequester(client)).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('releases the key after VALIDATION_ERROR: the corrected request with the same key sends', async () => {
    const client = nextClient();
    const invalid = await send('sms', { to: '0555', body: 'hi' }, client, 'fix-me');
    expect(invalid.status).toBe(400);
    expect(await records.find(client, 'fix-me')).toBeNull();

    const corrected = await send('sms', sms(), client, 'fix-me');
    expect([corrected.status, replayed(corrected)]).toEqual([200, null]);
    expect(twilioSends()).toBe(1);
  });

  it('sends again once the record has expired', async () => {
    const client = nextClient();
    const first = await send('sms', sms(), client, 'old-key');
    const past = Date.now() - DAY_MS - 60_000;
    await records.update(client, 'old-key', { createdAt: new Date(past), expiresAt: new Date(past + DAY_MS) });

    const again = await send('sms', sms(), client, 'old-key');
    expect([again.status, replayed(again)]).toEqual([200, null]);
    expect(again.body['messageId']).not.toBe(first.body['messageId']);
    expect(twilioSends()).toBe(2);
    expect((await records.find(client, 'old-key'))?.response?.body).toBe(JSON.stringify(again.body));
  });

  it('answers 409 at once, sending nothing, for a request whose process died mid-send (outcome unknown)', async () => {
    const client = nextClient();
    await send('sms', sms(), client, 'orphan');
    await records.update(client, 'orphan', { state: 'in_progress', createdAt: new Date(Date.now() - 5 * 60_000) }, ['response']);

    const retry = await send('sms', sms(), client, 'orphan');
    expect(retry.status).toBe(409);
    expect(retry.body['error']).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT', details: { reason: 'in_progress' } });
    expect((retry.body['error'] as { message: string }).message).toContain('GET /messaging/logs');
    expect(twilioSends()).toBe(1);
  });

  it('without the header, sends every time as before', async () => {
    const client = nextClient();
    const answers = [await send('sms', sms(), client), await send('sms', sms(), client)];
    expect(answers.map((a) => [a.status, replayed(a)])).toEqual([[200, null], [200, null]]);
    expect(twilioSends()).toBe(2);
  });

  it.each([
    ['empty', ''],
    ['256 characters long', 'k'.repeat(256)],
    ['holding a space', 'order 1'],
    ['holding a tab', 'order\t1'],
    ['holding a Latin-1 character', 'caf\u00e9'],
  ])('refuses a key %s with 400 VALIDATION_ERROR naming the header, sending nothing', async (_case, key) => {
    const answer = await send('sms', sms(), nextClient(), key);
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatchObject({ code: 'VALIDATION_ERROR', details: { header: 'Idempotency-Key' } });
    expect(twilioSends()).toBe(0);
  });

  it('refuses a repeated header, even with equal values', async () => {
    const key = 'twice';
    const answer = await rawPost(`${app.url}/messaging/sms`, [['authorization', bearer().authorization], ['Idempotency-Key', key], ['Idempotency-Key', key]], sms());
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringContaining('repeated') as string });
    expect(twilioSends()).toBe(0);
  });

  it('fingerprints a hostile body (100,000 levels deep) without failing: 400, key released', async () => {
    const client = nextClient();
    const rawBody = `{"to":"+15550001111","body":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const headers = { ...bearer({ sub: client }), 'idempotency-key': 'deep' };
    const answer = await request<Body>(`${app.url}/messaging/sms`, { method: 'POST', headers, rawBody });
    expect(answer.status).toBe(400);
    expect(answer.body['error']).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(await records.find(client, 'deep')).toBeNull();
  });

  it('leaves the preview route alone: it takes no key and stores nothing', async () => {
    const client = nextClient();
    const preview = await send('email/template/preview', { template: 'welcome', data: { name: 'Al', appName: 'X' } }, client, 'preview-1');
    expect(preview.status).toBe(200);
    expect(await records.find(client, 'preview-1')).toBeNull();
  });

  it('expires records with a TTL index, or warns where the database refuses one (FerretDB 1.x: expiry is checked on read)', async () => {
    if (isFerretDB()) expect(app.output()).toContain('refused the TTL index on idempotency_keys.expiresAt');
    else expect(await records.indexNames()).toContain('expiresAt_ttl');
  });
});
