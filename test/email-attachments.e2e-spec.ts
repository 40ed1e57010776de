import { createHash, randomBytes } from 'node:crypto';
import type { RunningApp } from './helpers/app-process.js';
import { request, type JsonResponse } from './helpers/http.js';
import { rawHttp, rawRequest } from './helpers/raw-http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

/**
 * Email attachments through the built app and a real SMTP server: what the
 * sink receives is parsed back with mailparser and compared byte for byte
 * (sha256); the log row is read straight from the database.
 */

type Json = Record<string, unknown>;
const MIB = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const file = (filename: string, bytes: Buffer, extra: Json = {}) => ({ filename, content: bytes.toString('base64'), ...extra });
/** A 1x1 transparent PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

function send(app: RunningApp, body: Json, sub = 'attachments', headers: Record<string, string> = {}): Promise<JsonResponse<Json>> {
  return request<Json>(`${app.url}/messaging/email`, { headers: { ...bearer({ sub }), ...headers }, body: { to: 'ada@example.com', subject: 'Files', body: '<p>See attached</p>', ...body } });
}

/** The `field` entries of a 400's details. */
function fieldsOf(response: JsonResponse<Json>): string[] {
  const details = (response.body['error'] as { details?: { fields?: { field: string }[] } }).details;
  return (details?.fields ?? []).map((entry) => entry.field);
}

describe('email attachments', () => {
  const env = testEnvironment({ name: 'email-attachments', smtp: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await env.startApp();
  }, 30_000);

  it('delivers a binary file and an inline image byte for byte, and logs name, type and size only', async () => {
    const binary = randomBytes(70_000);
    const html = '<p>Logo: <img src="cid:logo@fluxkit.test"></p>';
    const response = await send(app, {
      body: html,
      attachments: [file('report.bin', binary, { contentType: 'application/octet-stream' }), file('logo.png', PNG, { contentType: 'image/png', contentId: 'logo@fluxkit.test' })],
    }, 'attach-binary');
    expect(response.status).toBe(200);

    const [received] = await env.sink.waitForMessages(1);
    // mailparser lists the multipart/related part (the inline image) first.
    const attachments = [...(received?.mail.attachments ?? [])].sort((a, b) => String(a.filename).localeCompare(String(b.filename)));
    expect(attachments.map((a) => [a.filename, a.contentType, sha256(a.content)])).toEqual([
      ['logo.png', 'image/png', sha256(PNG)],
      ['report.bin', 'application/octet-stream', sha256(binary)],
    ]);
    expect(attachments[0]).toMatchObject({ cid: 'logo@fluxkit.test', related: true });
    // mailparser inlines cid: images as data: URLs in `html`; the source keeps the reference and the part's id.
    expect(received?.raw).toContain('src="cid:logo@fluxkit.test"');
    expect(received?.raw).toContain('Content-ID: <logo@fluxkit.test>');

    const [row] = await env.logs.byRequester('attach-binary');
    expect(row?.attachments).toEqual([
      { filename: 'report.bin', contentType: 'application/octet-stream', size: 70_000 },
      { filename: 'logo.png', contentType: 'image/png', size: PNG.length },
    ]);
    expect(JSON.stringify(row)).not.toContain(PNG.toString('base64').slice(0, 40));
  });

  it('attaches to template sends too', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a tiny file\n');
    const response = await request<Json>(`${app.url}/messaging/email/template`, {
      headers: bearer(),
      body: { to: 'ada@example.com', template: 'welcome', data: { name: 'Ada', appName: 'FluxKit' }, attachments: [file('terms.pdf', pdf)] },
    });
    expect(response.status).toBe(200);
    const [received] = await env.sink.waitForMessages(1);
    expect(received?.mail.attachments.map((a) => [a.filename, a.contentType, sha256(a.content)])).toEqual([['terms.pdf', 'application/pdf', sha256(pdf)]]);
  });

  it('accepts 10 attachments and refuses 11 with a 400', async () => {
    const ten = Array.from({ length: 10 }, (_, i) => file(`f${i}.txt`, Buffer.from(`file ${i}`)));
    expect((await send(app, { attachments: ten })).status).toBe(200);
    expect((await env.sink.waitForMessages(1))[0]?.mail.attachments).toHaveLength(10);
    env.sink.reset();
    const eleven = await send(app, { attachments: [...ten, file('f10.txt', Buffer.from('one more'))] });
    expect(eleven).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(fieldsOf(eleven)).toEqual(['attachments']);
    expect(env.sink.messages).toHaveLength(0);
  });

  it('delivers a 9 MiB file intact on a route whose body limit is raised, while the others keep 1 MiB', async () => {
    const big = randomBytes(9 * MIB);
    const response = await send(app, { attachments: [file('big.bin', big)] });
    expect(response.status).toBe(200);
    const [received] = await env.sink.waitForMessages(1);
    expect(sha256(received?.mail.attachments[0]?.content ?? Buffer.alloc(0))).toBe(sha256(big));

    const sms = await request<Json>(`${app.url}/messaging/sms`, { headers: bearer(), body: { to: '+15550001111', body: 'x'.repeat(1_100_000) } });
    expect(sms).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
    const preview = await request<Json>(`${app.url}/messaging/email/template/preview`, {
      headers: bearer(),
      body: { template: 'welcome', data: { name: 'x'.repeat(1_100_000) } },
    });
    expect(preview.status).toBe(413);
  }, 60_000);

  it('answers 413 over 10 MiB decoded in total, and for a body over the raised limit', async () => {
    const halves = [file('a.bin', Buffer.alloc(5 * MIB, 1)), file('b.bin', Buffer.alloc(5 * MIB + 1, 2))];
    const over = await send(app, { attachments: halves });
    expect(over).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 10 * MIB } } } });
    expect(String((over.body['error'] as Json)['message'])).toContain(`${10 * MIB + 1} bytes`);
    // A body over the raised limit, announced by its Content-Length: the answer comes before the body is
    // read, so only its first bytes are written (an HTTP client writing all 16 MiB races the server's
    // close and can fail with EPIPE instead of reading the 413).
    const announced = 16 * MIB;
    const head = rawHttp('POST /messaging/email HTTP/1.1', {
      ...bearer({ sub: 'attachments' }),
      'content-type': 'application/json',
      'content-length': String(announced),
      connection: 'close',
    });
    const huge = await rawRequest(app.url, [head, '{"to":"ada@example.com","attachments":[{"filename":"c.bin","content":"AAAA']);
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(env.sink.messages).toHaveLength(0);
  }, 60_000);

  it('keeps hostile file names as names: folders, CR/LF, NUL and bidi overrides removed', async () => {
    const names = ['../../etc/passwd', 'a\r\nBcc: victim@example.com.txt', 'nul\u0000byte.txt', 'report\u202Efdp.txt', '..\\..\\boot.ini'];
    const response = await send(app, { attachments: names.map((name, i) => file(name, Buffer.from(`n${i}`))) }, 'attach-hostile');
    expect(response.status).toBe(200);
    const [received] = await env.sink.waitForMessages(1);
    const cleaned = ['etcpasswd', 'aBcc: victim@example.com.txt', 'nulbyte.txt', 'reportfdp.txt', 'boot.ini'];
    expect(received?.mail.attachments.map((a) => a.filename)).toEqual(cleaned);
    expect(received?.envelope.to).toEqual(['ada@example.com']);
    expect(received?.mail.headers.has('bcc')).toBe(false);
    const [row] = await env.logs.byRequester('attach-hostile');
    expect(row?.attachments?.map((a) => a.filename)).toEqual(cleaned);
  });

  it.each([
    ['too long', 'a'.repeat(300) + '.txt'],
    ['nothing left once cleaned', '../\u202E/..'],
    ['empty', ''],
  ])('refuses a file name that is %s', async (_case, filename) => {
    const response = await send(app, { attachments: [file(filename, Buffer.from('x'))] });
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(fieldsOf(response)).toEqual(['attachments[0].filename']);
  });

  it.each(['setup.exe', 'SETUP.EXE', 'invoice.pdf.exe', 'run.js', 'evil.exe.', 'evil.exe . ', 'tool.Ps1', 'macro.vbs', 'invoice\u202Efdp.exe'])(
    'refuses the executable %j with a 400 naming the file, and sends nothing',
    async (filename) => {
      const response = await send(app, { attachments: [file('ok.pdf', Buffer.from('x')), file(filename, Buffer.from('MZ'))] });
      expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
      expect(fieldsOf(response)).toEqual(['attachments[1].filename']);
      expect(env.sink.messages).toHaveLength(0);
    },
  );

  it.each([
    ['a length not a multiple of 4', 'YWJjZA'],
    ['a line break', 'YWJj\nZGVm'],
    ['URL-safe characters', 'ab-_'],
    ['padding in the middle', 'YQ==YQ=='],
    ['non-zero trailing bits', 'YR=='],
    ['nothing', ''],
  ])('refuses content with %s', async (_case, content) => {
    const response = await send(app, { attachments: [{ filename: 'a.txt', content }] });
    expect(response).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_ERROR' } } });
    expect(fieldsOf(response)).toEqual(['attachments[0].content']);
  });

  it.each([
    ['contentType', 'text/plain\r\nX-Injected: 1'],
    ['contentType', 'text/plain; charset=utf-8'],
    ['contentType', 'pdf'],
    ['contentId', '<logo@example.com>'],
    ['contentId', 'logo\r\nX-Injected: 1'],
  ])('refuses the header-breaking %s %j', async (field, value) => {
    const response = await send(app, { attachments: [file('a.txt', Buffer.from('x'), { [field]: value })] });
    expect(fieldsOf(response)).toEqual([`attachments[0].${field}`]);
  });

  it('refuses an attachment that is not an object, or unknown attachment fields', async () => {
    expect((await send(app, { attachments: ['YQ=='] })).status).toBe(400);
    const extra = await send(app, { attachments: [{ ...file('a.txt', Buffer.from('x')), path: '/etc/passwd' }] });
    expect(extra.status).toBe(400);
    expect(fieldsOf(extra)).toEqual(['attachments[0].path']);
  });
});

describe('email attachments with a configured block list', () => {
  const env = testEnvironment({ name: 'email-attachments-config', smtp: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await env.startApp({ EMAIL_BLOCKED_EXTENSIONS: '.PDF, docm' });
  }, 30_000);

  it('refuses the configured extensions only (EMAIL_BLOCKED_EXTENSIONS replaces the default list)', async () => {
    expect(fieldsOf(await send(app, { attachments: [file('a.Pdf', Buffer.from('x'))] }))).toEqual(['attachments[0].filename']);
    expect(fieldsOf(await send(app, { attachments: [file('a.docm', Buffer.from('x'))] }))).toEqual(['attachments[0].filename']);
    expect((await send(app, { attachments: [file('setup.exe', Buffer.from('MZ'))] })).status).toBe(200);
  });
});

describe('email attachments on the queue', () => {
  const env = testEnvironment({ name: 'email-attachments-queue', smtp: true, redis: true });
  let app: RunningApp;
  beforeAll(async () => {
    app = await env.startApp();
  }, 30_000);

  it('carries the attachment in the job and delivers it intact (Prefer: respond-async)', async () => {
    const bytes = randomBytes(300_000);
    const response = await send(app, { attachments: [file('queued.bin', bytes)] }, 'attach-queue', { prefer: 'respond-async' });
    expect(response).toMatchObject({ status: 202, body: { status: 'queued' } });
    const [received] = await env.sink.waitForMessages(1);
    expect(sha256(received?.mail.attachments[0]?.content ?? Buffer.alloc(0))).toBe(sha256(bytes));
    const row = await env.logs.waitFor(String(response.body['messageId']), (r) => r.status === 'sent');
    expect(row.attachments).toEqual([{ filename: 'queued.bin', size: 300_000 }]);
  }, 30_000);
});
