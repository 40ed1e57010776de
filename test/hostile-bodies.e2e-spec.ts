import { gzipSync } from 'node:zlib';
import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

/**
 * Bodies built to be expensive to refuse, and bodies the JSON contract
 * refuses although a lenient parser would read them (issue #21, items 1 and
 * 6a). Every refusal must be cheap, small, in the envelope, and leave no
 * trace: no provider call, no log row.
 */
type Envelope = { error: { code: string; message: string; details?: { fields?: unknown[]; omittedFields?: number } } };

const SMS = { to: '+14155550100', body: 'Your code is 123456' };
const SMS_JSON = JSON.stringify(SMS);
const TEMPLATE = { template: 'welcome', data: { name: 'Alice', appName: 'My App' } };

/** `"0":0,"1":0,…`: `count` distinct short keys (about 8 bytes each), as JSON members without braces. */
function manyKeys(count: number): string {
  return Array.from({ length: count }, (_, i) => `"${i.toString(36)}":0`).join(',');
}

/** The same number of entries as manyKeys(count), as the items of one array: parsed and refused in linear time. */
function manyItems(count: number): string {
  return `"x":[${Array.from({ length: count }, (_, i) => `"${i.toString(36)}"`).join(',')}]`;
}

interface Answer {
  status: number;
  bytes: number;
  ms: number;
  body: Envelope;
}

describe('hostile bodies', () => {
  const environment = testEnvironment({ name: 'hostile-bodies', smtp: true, twilio: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp();
  });

  /** POSTs raw bytes with the given headers (a bearer token unless `authorization` is given). */
  async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Answer> {
    const started = performance.now();
    const response = await fetch(`${app.url}${path}`, {
      method: 'POST',
      headers: { ...bearer({ sub: 'hostile-bodies' }), 'content-type': 'application/json', ...headers },
      body,
    });
    const text = await response.text();
    const ms = performance.now() - started;
    return { status: response.status, bytes: Buffer.byteLength(text), ms, body: (text ? JSON.parse(text) : null) as Envelope };
  }

  /** Sends, expects status + code in the envelope, and checks that nothing reached a provider or the log. */
  async function expectRefused(
    path: string,
    body: string | Buffer,
    headers: Record<string, string>,
    status: number,
    code: string,
  ): Promise<Answer> {
    const rows = await environment.logs.count();
    const smtp = environment.sink.recipientAttempts.length;
    const messages = environment.twilio.requestCount('messages');
    const answer = await post(path, body, headers);
    expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({ status, code });
    expect(Object.keys(answer.body)).toEqual(['error']);
    expect(await environment.logs.count()).toBe(rows);
    expect(environment.sink.recipientAttempts.length).toBe(smtp);
    expect(environment.twilio.requestCount('messages')).toBe(messages);
    return answer;
  }

  describe('the cost of refusing', () => {
    const KEYS = 115_000; // about 1 MB of JSON, just under the default body limit
    const cases: Array<[string, string, (members: string) => string]> = [
      ['unknown top-level keys of an SMS', '/messaging/sms', (m) => `{"to":"+14155550100","body":"b",${m}}`],
      ['keys in template data (preview)', '/messaging/email/template/preview', (m) => `{"template":"welcome","data":{${m}}}`],
      ['keys in template data (send)', '/messaging/email/template', (m) => `{"to":"a@example.com","template":"welcome","data":{${m}}}`],
      ['keys in WhatsApp media', '/messaging/whatsapp', (m) => `{"to":"+14155550100","body":"b","media":{${m}}}`],
      ['keys in objects inside an unknown list', '/messaging/sms', (m) => `{"to":"+14155550100","body":"b","x":[{${m}}]}`],
    ];

    it.each(cases)(
      'refuses %s in time linear in the size: hostile/plain time ratio of one run',
      async (_label, path, wrap) => {
        const hostile = wrap(manyKeys(KEYS));
        const plain = wrap(manyItems(KEYS)); // same entries, same size order, no keys to dedupe
        const times = { hostile: [] as number[], plain: [] as number[] };
        for (let round = 0; round < 3; round++) {
          const p = await expectRefused(path, plain, {}, 400, 'VALIDATION_ERROR');
          const h = await expectRefused(path, hostile, {}, 400, 'VALIDATION_ERROR');
          times.plain.push(p.ms);
          times.hostile.push(h.ms);
          expect(h.bytes).toBeLessThan(hostile.length / 100);
        }
        const median = (values: number[]) => [...values].sort((a, b) => a - b)[1] ?? NaN;
        const ratio = median(times.hostile) / median(times.plain);
        process.stdout.write(`${_label}: hostile ${median(times.hostile).toFixed(0)} ms, plain ${median(times.plain).toFixed(0)} ms, ratio ${ratio.toFixed(2)}\n`);
        // Before the fix this ratio was several hundred (class-transformer's quadratic key dedup).
        expect(ratio).toBeLessThan(4);
      },
      180_000,
    );

    it('lists 10 fields at most, then counts the rest in details.omittedFields', async () => {
      const answer = await expectRefused('/messaging/sms', `{"to":"+14155550100","body":"b",${manyKeys(500)}}`, {}, 400, 'VALIDATION_ERROR');
      expect(answer.body.error.details?.fields).toHaveLength(10);
      expect(answer.body.error.details?.omittedFields).toBe(490);
      expect(answer.body.error.message).toMatch(/^Invalid request: 0, 1, .* and 490 more$/);
    });

    it('caps the template data problems the same way', async () => {
      const body = JSON.stringify({ ...TEMPLATE, data: { ...TEMPLATE.data, ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, 'v'])) } });
      const answer = await expectRefused('/messaging/email/template/preview', body, {}, 400, 'VALIDATION_ERROR');
      expect(answer.body.error.details?.fields).toHaveLength(10);
      expect(answer.body.error.details?.omittedFields).toBe(290);
    });

    it('answers a key as long as the body with fewer bytes than the body', async () => {
      const key = 'k'.repeat(900_000);
      const body = `{"to":"+14155550100","body":"b","${key}":1}`;
      const answer = await expectRefused('/messaging/sms', body, {}, 400, 'VALIDATION_ERROR');
      expect(answer.bytes).toBeLessThan(4_000);
    });

    it.each<[string, string, string]>([
      ['1,001 keys', '/messaging/sms', `{"to":"+14155550100","body":"b",${manyKeys(1_001)}}`],
      ['a list of 400,000 numbers as recipients', '/messaging/email', `{"to":[${'0,'.repeat(399_999)}0],"subject":"s","body":"b"}`],
      ['1,001 list items spread over template data', '/messaging/email/template/preview', `{"template":"welcome","data":{"name":[${'0,'.repeat(500)}0],"appName":[${'0,'.repeat(499)}0]}}`],
    ])('refuses %s with a message that says why', async (_label, path, body) => {
      const answer = await expectRefused(path, body, {}, 400, 'VALIDATION_ERROR');
      expect(answer.body.error.message).toBe('Request has more than 1000 keys and list items (all objects and lists together)');
    });
  });

  describe('JSON only, as UTF-8, each key once', () => {
    it('control: application/json, with or without charset=utf-8, is sent', async () => {
      const sent = environment.twilio.requestCount('messages');
      for (const type of ['application/json', 'application/json; charset=utf-8', 'Application/JSON;Charset="UTF-8"']) {
        expect((await post('/messaging/sms', SMS_JSON, { 'content-type': type })).status).toBe(200);
      }
      expect((await post('/messaging/sms', SMS_JSON, { 'content-encoding': 'identity' })).status).toBe(200);
      expect(environment.twilio.requestCount('messages')).toBe(sent + 4);
    });

    it.each(['latin1', 'iso-8859-1', 'utf-16', 'utf-16le', 'us-ascii'])('answers 415 to JSON declared as charset=%s', async (charset) => {
      const answer = await expectRefused('/messaging/sms', SMS_JSON, { 'content-type': `application/json; charset=${charset}` }, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(answer.body.error.message).toMatch(/UTF-8/);
    });

    it.each<[string, Buffer]>([
      ['a lone continuation byte', Buffer.concat([Buffer.from('{"to":"+14155550100","body":"a'), Buffer.from([0x80]), Buffer.from('"}')])],
      ['a Latin-1 é', Buffer.from('{"to":"+14155550100","body":"caf\u00e9"}', 'latin1')],
      ['a truncated 3-byte sequence', Buffer.concat([Buffer.from('{"to":"+14155550100","body":"'), Buffer.from([0xe2, 0x82]), Buffer.from('"}')])],
      ['an encoded surrogate (CESU-8)', Buffer.concat([Buffer.from('{"to":"+14155550100","body":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
      ['UTF-16 bytes and their byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(SMS_JSON, 'utf16le')])],
    ])('answers 400 to a body with %s (not UTF-8), instead of sending U+FFFD', async (_label, bytes) => {
      const answer = await expectRefused('/messaging/sms', bytes, {}, 400, 'VALIDATION_ERROR');
      expect(answer.body.error.message).toBe('Request body is not valid UTF-8');
    });

    it.each<[string, string | Buffer]>([
      ['a plain body', SMS_JSON],
      ['a gzipped body', gzipSync(SMS_JSON)],
    ])('answers 415 to Content-Encoding: gzip on %s (it is never decoded)', async (_label, body) => {
      const answer = await expectRefused('/messaging/sms', body, { 'content-encoding': 'gzip' }, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(answer.body.error.message).toMatch(/Content-Encoding/);
    });

    it.each<[string, string, string, string]>([
      ['a form to two recipients', '/messaging/email', 'application/x-www-form-urlencoded', 'to=a@example.com&to=b@example.com&subject=s&body=b'],
      ['a form SMS', '/messaging/sms', 'application/x-www-form-urlencoded', 'to=%2B14155550100&body=hi'],
      ['JSON as text/plain', '/messaging/sms', 'text/plain', SMS_JSON],
      ['JSON as text/plain; charset=utf-8', '/messaging/sms', 'text/plain; charset=utf-8', SMS_JSON],
      ['JSON as application/vnd.api+json', '/messaging/sms', 'application/vnd.api+json', SMS_JSON],
      ['a multipart form', '/messaging/sms', 'multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="to"\r\n\r\n+14155550100\r\n--x--`],
      ['JSON on the preview as text/plain', '/messaging/email/template/preview', 'text/plain', JSON.stringify(TEMPLATE)],
    ])('answers 415 to %s: send application/json', async (_label, path, type, body) => {
      const answer = await expectRefused(path, body, { 'content-type': type }, 415, 'UNSUPPORTED_MEDIA_TYPE');
      expect(answer.body.error.message).toBe('Unsupported Content-Type: send application/json');
    });

    it.each<[string, string, string, string]>([
      ['"to" twice', '/messaging/sms', '{"to":"+14155550100","body":"b","to":"+14155550199"}', 'to'],
      ['"to" twice, once escaped', '/messaging/sms', '{"to":"+14155550100","body":"b","\\u0074o":"+14155550199"}', 'to'],
      ['media.url twice', '/messaging/whatsapp', '{"to":"+14155550100","body":"b","media":{"url":"https://a.example/x.png","url":"https://b.example/y.png"}}', 'media.url'],
      ['a template variable twice', '/messaging/email/template/preview', '{"template":"welcome","data":{"name":"A","appName":"B","name":"C"}}', 'data.name'],
      ['a key twice in an object inside a list', '/messaging/sms', '{"to":"+14155550100","body":"b","x":[1,{"a":1,"a":2}]}', 'x[1].a'],
    ])('answers 400 to %s, naming it', async (_label, path, body, field) => {
      const answer = await expectRefused(path, body, {}, 400, 'VALIDATION_ERROR');
      expect(answer.body.error.message).toBe(`Request body has a key twice: ${field}`);
      expect(answer.body.error.details?.fields).toEqual([{ field, errors: ['appears more than once'] }]);
    });

    it('still accepts the same key in sibling objects', async () => {
      const body = '{"to":"+14155550100","body":"b","media":{"url":"https://a.example/x.png","filename":"x.png"}}';
      expect((await post('/messaging/whatsapp', body)).status).toBe(200);
    });
  });
});
