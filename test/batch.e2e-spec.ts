import type { RunningApp } from './helpers/app-process.js';
import { request, type JsonResponse } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const ROW_ID = /^[0-9a-f]{24}$/;

interface BatchAnswer {
  accepted: number;
  rejected: number;
  results: Array<{ index: number; messageId?: string; status?: string; error?: { code: string; message: string; details?: unknown } }>;
  error?: { code: string; message: string; details?: unknown };
}

/**
 * POST /messaging/<channel>/batch (issue #16 item 3): each message validated as its single route
 * validates it, the valid ones written with one insertMany and queued with one addBulk, then delivered
 * by the same workers. The built app, FerretDB, the suite's Redis, the SMTP sink and the Twilio fake.
 */
describe('batch sends', () => {
  const environment = testEnvironment({ name: 'batch', smtp: true, twilio: true, redis: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({ TWILIO_MAX_RETRIES: '0' });
  });

  const post = <T = BatchAnswer>(path: string, body: unknown, sub = 'batch-client', headers: Record<string, string> = {}) =>
    request<T>(`${app.url}/messaging${path}`, { headers: { ...bearer({ sub }), ...headers }, body });
  const final = (id: string) => environment.logs.waitFor(id, (row) => row.status === 'sent' || row.status === 'failed');
  const idOf = (answer: JsonResponse<BatchAnswer>, index: number) => String(answer.body.results[index]?.messageId);

  it('queues a batch of SMS: 202, rows exactly as a single async send writes them, each delivered once by the workers', async () => {
    const single = await post<Record<string, unknown>>('/sms', { to: '+15551110000', body: 'single' }, 'sms-batch', { prefer: 'respond-async' });
    expect(single.status).toBe(202);
    const messages = [1, 2, 3].map((n) => ({ to: `+1555111000${n}`, body: `batch ${n}`, category: 'marketing' }));
    const answer = await post('/sms/batch', { messages }, 'sms-batch', { 'x-request-id': 'batch-request-1' });
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({
      accepted: 3,
      rejected: 0,
      results: [0, 1, 2].map((index) => ({ index, messageId: expect.stringMatching(ROW_ID) as string, status: 'queued' })),
    });

    const singleRow = await final(String(single.body.messageId));
    const rows = await Promise.all([0, 1, 2].map((i) => final(idOf(answer, i))));
    const ownerFields = ({ channel, provider, requestedBy, tenant }: typeof singleRow) => ({ channel, provider, requestedBy, tenant });
    for (const [i, row] of rows.entries()) {
      expect(Object.keys(row).sort()).toEqual(Object.keys(singleRow).sort());
      expect(ownerFields(row)).toEqual(ownerFields(singleRow));
      expect(row).toMatchObject({ status: 'sent', to: messages[i]?.to, segments: 1, category: 'marketing', requestId: 'batch-request-1' });
    }
    await environment.twilio.waitForRequests(4);
    const sent = environment.twilio.messageRequests().map((r) => r.fields['To']);
    expect(sent.sort()).toEqual(['+15551110000', ...messages.map((m) => m.to)].sort());
  });

  it("reports each invalid message by index with the single route's own error, and sends the valid ones", async () => {
    const bad = [{ to: 'not-a-number', body: 'x' }, { to: '+15551110011', body: 'x', colour: 'red' }, { to: '+15551110012' }];
    const singles = await Promise.all(bad.map((body) => post<{ error: unknown }>('/sms', body, 'sms-invalid')));
    const answer = await post('/sms/batch', { messages: [{ to: '+15551110010', body: 'ok 0' }, ...bad, 42, { to: '+15551110014', body: 'ok 5' }] }, 'sms-invalid');
    expect(answer.status).toBe(202);
    expect(answer.body.accepted).toBe(2);
    expect(answer.body.rejected).toBe(4);
    expect(answer.body.results.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(answer.body.results.slice(1, 4).map((r) => r.error)).toEqual(singles.map((s) => s.body.error));
    expect(answer.body.results[4]?.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    await Promise.all([0, 5].map((i) => final(idOf(answer, i))));
    expect(environment.twilio.messageRequests().map((r) => r.fields['Body'])).toEqual(expect.arrayContaining(['ok 0', 'ok 5']));
    expect(environment.twilio.requestCount('messages')).toBe(2);
    expect(await environment.logs.byRequester('sms-invalid')).toHaveLength(2);
  });

  it('queues email, template email and WhatsApp batches through the same workers; template and cross-field errors by index', async () => {
    const email = await post('/email/batch', { messages: [{ to: 'ann@example.com', subject: 'Batch hello', body: '<p>Hi Ann</p>' }] });
    const templates = await post('/email/template/batch', {
      messages: [
        { to: 'bob@example.com', template: 'welcome', data: { name: 'Bob', appName: 'Acme' } },
        { to: 'cat@example.com', template: 'no-such-template' },
      ],
    });
    const whatsapp = await post('/whatsapp/batch', {
      messages: [{ to: '+15551110020', body: 'wa text' }, { to: '+15551110021', body: 'both', contentSid: 'HX0123456789abcdef0123456789abcdef' }],
    });
    expect([email.status, templates.status, whatsapp.status]).toEqual([202, 202, 202]);
    expect(templates.body.results[1]?.error).toMatchObject({ code: 'TEMPLATE_NOT_FOUND' });
    expect(whatsapp.body.results[1]?.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    const emailRow = await final(idOf(email, 0));
    expect(emailRow.messageId).toBe(`<${idOf(email, 0)}@fluxkit.test>`);
    expect(await final(idOf(templates, 0))).toMatchObject({ status: 'sent', template: 'welcome' });
    expect(await final(idOf(whatsapp, 0))).toMatchObject({ status: 'sent', channel: 'whatsapp' });
    const mails = await environment.sink.waitForMessages(2);
    expect(mails).toHaveLength(2);
    expect(mails.find((m) => m.mail.subject === 'Batch hello')?.mail.text).toContain('Hi Ann');
    expect(environment.twilio.messageRequests().map((r) => r.fields)).toEqual([{ To: 'whatsapp:+15551110020', From: 'whatsapp:+15005550007', Body: 'wa text' }]);
  });

  it.each([
    ['a list', [{ to: '+15551110030', body: 'x' }]],
    ['no messages key', { to: '+15551110030', body: 'x' }],
    ['messages not a list', { messages: { to: '+15551110030', body: 'x' } }],
    ['an empty list', { messages: [] }],
    ['1,001 messages', { messages: Array.from({ length: 1001 }, () => ({ to: '+15551110030', body: 'x' })) }],
    ['another key beside messages', { messages: [{ to: '+15551110030', body: 'x' }], priority: 'high' }],
    ['a string', 'messages'],
    [
      'more than 100,000 keys and list items in all',
      { messages: Array.from({ length: 1000 }, () => ({ to: '+15551110030', body: 'x', ...Object.fromEntries(Array.from({ length: 100 }, (_, k) => [`k${k}`, 0])) })) },
    ],
  ])('refuses %s with 400 VALIDATION_ERROR and writes nothing', async (_name, body) => {
    const answer = await post('/sms/batch', body, 'sms-shape');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(await environment.logs.byRequester('sms-shape')).toHaveLength(0);
  });

  it('refuses a suppressed recipient by index (its row `suppressed`, as a single send writes it) and queues the others', async () => {
    expect((await post('/suppressions', { channel: 'sms', address: '+15551110040' }, 'sms-consent')).status).toBe(201);
    const answer = await post('/sms/batch', { messages: [{ to: '+15551110041', body: 'a' }, { to: '+15551110040', body: 'b' }] }, 'sms-consent');
    expect(answer.status).toBe(202);
    expect(answer.body.results[1]).toEqual({
      index: 1,
      error: { code: 'RECIPIENT_SUPPRESSED', message: expect.any(String) as string, details: { channel: 'sms', suppressed: ['+15551110040'] } },
    });
    await final(idOf(answer, 0));
    const rows = await environment.logs.byRequester('sms-consent');
    expect(rows.map((r) => [r.to, r.status]).sort()).toEqual([['+15551110040', 'suppressed'], ['+15551110041', 'sent']]);
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it('applies Idempotency-Key to the whole batch: the same body replays the answer, another body is a conflict', async () => {
    const body = { messages: [{ to: '+15551110050', body: 'once' }, { to: '+15551110051', body: 'once' }] };
    const headers = { 'idempotency-key': 'batch-key-1' };
    const first = await post('/sms/batch', body, 'sms-idem', headers);
    const retry = await post('/sms/batch', body, 'sms-idem', headers);
    expect([first.status, retry.status]).toEqual([202, 202]);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    const other = await post('/sms/batch', { messages: [{ to: '+15551110052', body: 'other' }] }, 'sms-idem', headers);
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
    await Promise.all([0, 1].map((i) => final(idOf(first, i))));
    expect(await environment.logs.byRequester('sms-idem')).toHaveLength(2);
    expect(environment.twilio.requestCount('messages')).toBe(2);
  });
});

describe('batch sends: throttle and configuration', () => {
  const environment = testEnvironment({ name: 'batch-limits', twilio: true, redis: true });
  const sms = (count: number, from = 0) => ({ messages: Array.from({ length: count }, (_, i) => ({ to: `+1555222${String(from + i).padStart(4, '0')}`, body: 'x' })) });

  it('counts each message of a batch as one send: over THROTTLE_LIMIT the whole batch is 429 with Retry-After', async () => {
    const app = await environment.startApp({ THROTTLE_LIMIT: '10', QUEUE_WORKERS: 'false' });
    const post = (sub: string, body: unknown) => request<BatchAnswer>(`${app.url}/messaging/sms/batch`, { headers: bearer({ sub }), body });
    const first = await post('tenant-a', sms(8));
    expect(first.status).toBe(202);
    expect(first.headers.get('x-ratelimit-remaining')).toBe('2');
    const over = await post('tenant-a', sms(3, 8));
    expect(over.status).toBe(429);
    expect(over.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Larger than the whole budget: refused without spending it.
    const huge = await post('tenant-b', sms(11));
    expect(huge.status).toBe(429);
    expect((await post('tenant-b', sms(10))).status).toBe(202);
    expect(await environment.logs.count({ requestedBy: 'tenant-a' })).toBe(8);
  });

  it('THROTTLE_COUNT_BATCH_MESSAGES=false counts a batch as one request', async () => {
    const app = await environment.startApp({ THROTTLE_LIMIT: '10', THROTTLE_COUNT_BATCH_MESSAGES: 'false', QUEUE_WORKERS: 'false' });
    const answer = await request<BatchAnswer>(`${app.url}/messaging/sms/batch`, { headers: bearer({ sub: 'tenant-c' }), body: sms(50) });
    expect(answer.status).toBe(202);
    expect(answer.headers.get('x-ratelimit-remaining')).toBe('9');
  });

  it('takes a batch body over BODY_LIMIT_BYTES up to BATCH_BODY_LIMIT_BYTES; a larger one is 413', async () => {
    const app = await environment.startApp({ QUEUE_WORKERS: 'false', BODY_LIMIT_BYTES: '65536', BATCH_BODY_LIMIT_BYTES: '262144' });
    const batch = (count: number) => ({ messages: sms(count).messages.map((m) => ({ ...m, body: 'b'.repeat(1000) })) });
    const post = (path: string, body: unknown) => request<BatchAnswer>(`${app.url}/messaging${path}`, { headers: bearer({ sub: 'limits' }), body });
    const fits = await post('/sms/batch', batch(100));
    expect(JSON.stringify(batch(100)).length).toBeGreaterThan(65536);
    expect([fits.status, fits.body.accepted]).toEqual([202, 100]);
    const over = await post('/sms/batch', batch(300));
    expect(over.status).toBe(413);
    expect(over.body.error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    // The single routes keep BODY_LIMIT_BYTES.
    expect((await post('/sms', { to: '+15552220000', body: 'x', category: 'y'.repeat(70_000) })).status).toBe(413);
  });

  it('without Redis, refuses a batch with 400 QUEUE_NOT_CONFIGURED and writes nothing', async () => {
    const app = await environment.startApp({ REDIS_URL: undefined, REDIS_KEY_PREFIX: undefined });
    const answer = await request<BatchAnswer>(`${app.url}/messaging/sms/batch`, { headers: bearer({ sub: 'no-redis' }), body: sms(2) });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'QUEUE_NOT_CONFIGURED' });
    expect(await environment.logs.count({ requestedBy: 'no-redis' })).toBe(0);
  });
});
