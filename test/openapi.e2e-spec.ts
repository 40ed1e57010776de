import { readFileSync } from 'node:fs';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';

interface Operation {
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }>; securitySchemes: Record<string, unknown> };
}

/** An error answer's schema: the envelope with the codes that status can carry. */
interface ErrorEnvelopeSchema {
  properties?: { error?: { properties?: { code?: { enum?: string[] } } } };
}

/** The send routes: each takes Idempotency-Key and Prefer: respond-async. */
const SEND_OPERATIONS = [
  'post /messaging/email',
  'post /messaging/email/template',
  'post /messaging/sms',
  'post /messaging/sms/template',
  'post /messaging/whatsapp',
  'post /messaging/whatsapp/template',
];

/** The batch routes: each takes Idempotency-Key for the whole batch and always answers 202. */
const BATCH_OPERATIONS = [
  'post /messaging/email/batch',
  'post /messaging/email/template/batch',
  'post /messaging/sms/batch',
  'post /messaging/whatsapp/batch',
];

/**
 * The operations without a bearer scheme: health, metrics (its own guard), the signed webhooks, the signed
 * unsubscribe link, and the console's page and files (they hold no data; the page calls the guarded routes).
 */
const PUBLIC_OPERATIONS = [
  'get /messaging/health',
  'get /messaging/console',
  'get /messaging/console/{file}',
  'get /messaging/metrics',
  'post /messaging/webhooks/twilio/status',
  'post /messaging/webhooks/twilio/inbound',
  'get /messaging/unsubscribe/{token}',
  'post /messaging/unsubscribe/{token}',
];

/** Every operation the API serves, as "METHOD path". */
const OPERATIONS = [
  'get /messaging/health',
  'post /messaging/email',
  'post /messaging/email/template',
  'post /messaging/email/template/preview',
  'get /messaging/email/templates',
  'post /messaging/sms',
  'post /messaging/sms/template',
  'post /messaging/sms/template/preview',
  'post /messaging/whatsapp',
  'post /messaging/whatsapp/template',
  ...BATCH_OPERATIONS,
  'get /messaging/logs',
  'get /messaging/logs/{id}',
  'delete /messaging/messages/{id}',
  'get /messaging/metrics',
  'post /messaging/webhooks/twilio/status',
  'get /messaging/suppressions',
  'post /messaging/suppressions',
  'delete /messaging/suppressions/{channel}/{address}',
  'post /messaging/webhooks/twilio/inbound',
  'get /messaging/unsubscribe/{token}',
  'post /messaging/unsubscribe/{token}',
  'get /messaging/console',
  'get /messaging/console/{file}',
];

describe('OpenAPI document', () => {
  const database = testDatabaseUri('openapi');
  let app: RunningApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: database });
    const response = await request<OpenApiDocument>(`${app.url}/messaging/docs-json`);
    expect(response.status).toBe(200);
    document = response.body;
  });
  afterAll(async () => {
    await app.stop();
    await dropTestDatabase(database);
  });

  const operation = (key: string): Operation => {
    const [method = '', path = ''] = key.split(' ');
    const found = document.paths[path]?.[method];
    if (!found) throw new Error(`${key} is not in the document`);
    return found;
  };

  /** The error codes an operation documents for one status. */
  const codesOf = (key: string, status: string) => {
    const schema = operation(key).responses[status]?.content?.['application/json']?.schema as
      | { properties: { error: { properties: { code: { enum: string[] } } } } }
      | undefined;
    return schema?.properties.error.properties.code.enum;
  };

  it('is OpenAPI 3 and lists every operation, and only those', () => {
    expect(document.openapi).toMatch(/^3\./);
    const listed = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(listed.sort()).toEqual([...OPERATIONS].sort());
  });

  it('docs/api.md describes every operation and every error code the document names', () => {
    const reference = readFileSync('docs/api.md', 'utf8');
    for (const key of OPERATIONS) {
      const [method = '', path = ''] = key.split(' ');
      const written = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`;
      expect({ key, inReference: reference.includes(written) }).toEqual({ key, inReference: true });
    }
    const codes = new Set<string>();
    for (const methods of Object.values(document.paths)) {
      for (const { responses } of Object.values(methods)) {
        for (const response of Object.values(responses)) {
          const schema = response.content?.['application/json']?.schema as ErrorEnvelopeSchema | undefined;
          for (const code of schema?.properties?.error?.properties?.code?.enum ?? []) codes.add(code);
        }
      }
    }
    expect(codes.size).toBeGreaterThan(10);
    const errorsStart = reference.indexOf('## Errors');
    const errorsTable = reference.slice(errorsStart, reference.indexOf('\n## ', errorsStart + 1));
    for (const code of codes) {
      expect({ code, inErrorsTable: errorsTable.includes(`| \`${code}\``) }).toEqual({ code, inErrorsTable: true });
    }
  });

  it('describes the Twilio status webhook: a form body, 204, and 403/413/415/429 in the envelope', () => {
    const webhook = operation('post /messaging/webhooks/twilio/status');
    expect(Object.keys(webhook.requestBody?.content ?? {})).toEqual(['application/x-www-form-urlencoded']);
    expect(Object.keys(webhook.responses).sort()).toEqual(['204', '403', '413', '415', '429', '500']);
    const forbidden = webhook.responses['403']?.content?.['application/json']?.schema as ErrorEnvelopeSchema;
    expect(forbidden.properties?.error?.properties?.code?.enum).toEqual(['INVALID_SIGNATURE']);
    const statuses = document.components.schemas['MessageLogModel']?.properties['status']?.['enum'];
    expect(statuses).toEqual(expect.arrayContaining(['delivered', 'undelivered', 'read']));
  });

  it('declares the bearer scheme and requires it everywhere but health, metrics and the webhooks', () => {
    expect(document.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    for (const key of OPERATIONS) {
      const expected = PUBLIC_OPERATIONS.includes(key) ? undefined : [{ bearer: [] }];
      expect({ key, security: operation(key).security }).toEqual({ key, security: expected });
    }
  });

  it('documents the error envelope, with the right codes, for each error status', () => {
    expect(codesOf('post /messaging/sms', '400')).toEqual(['VALIDATION_ERROR', 'PROVIDER_NOT_CONFIGURED', 'QUEUE_NOT_CONFIGURED']);
    expect(codesOf('post /messaging/sms', '500')).toEqual(['SEND_FAILED', 'INTERNAL_ERROR']);
    expect(codesOf('post /messaging/sms', '503')).toEqual(['SERVICE_UNAVAILABLE']);
    expect(codesOf('post /messaging/email/template', '404')).toEqual(['TEMPLATE_NOT_FOUND']);
    expect(codesOf('get /messaging/logs/{id}', '404')).toEqual(['NOT_FOUND']);
    expect(codesOf('delete /messaging/messages/{id}', '400')).toEqual(['VALIDATION_ERROR', 'QUEUE_NOT_CONFIGURED']);
    expect(codesOf('delete /messaging/messages/{id}', '409')).toEqual(['MESSAGE_NOT_CANCELLABLE']);
    expect(codesOf('delete /messaging/messages/{id}', '503')).toEqual(['SERVICE_UNAVAILABLE']);
    for (const key of OPERATIONS.filter((k) => k.startsWith('post '))) {
      expect({ key, codes: codesOf(key, '415') }).toEqual({ key, codes: ['UNSUPPORTED_MEDIA_TYPE'] });
    }
    for (const key of OPERATIONS.filter((k) => !PUBLIC_OPERATIONS.includes(k) || k === 'get /messaging/metrics')) {
      expect(codesOf(key, '401')).toEqual(['UNAUTHORIZED']);
      expect(codesOf(key, '403')).toEqual(['FORBIDDEN']);
      // Scrapes are outside the rate limit (docs/observability.md): metrics has no 429.
      expect(codesOf(key, '429')).toEqual(key === 'get /messaging/metrics' ? undefined : ['RATE_LIMITED']);
    }
    expect(Object.keys(operation('get /messaging/health').responses).sort()).toEqual(['200', '429', '500', '503']);
  });

  it('documents GET /messaging/metrics as Prometheus text, outside the rate limit, with its 401 and 403', () => {
    type Documented = Operation & { responses: Record<string, { content?: Record<string, unknown> }> };
    const metrics = operation('get /messaging/metrics') as Documented;
    expect(Object.keys(metrics.responses).sort()).toEqual(['200', '401', '403', '500']);
    expect(Object.keys(metrics.responses['200']?.content ?? {})).toEqual(['text/plain']);
    expect(codesOf('get /messaging/metrics', '401')).toEqual(['UNAUTHORIZED']);
    expect(codesOf('get /messaging/metrics', '403')).toEqual(['FORBIDDEN']);
  });

  it('documents X-Request-Id on every operation: accepted on the request, present on every answer', () => {
    type Documented = Operation & {
      parameters?: Array<{ name: string; in: string; required?: boolean }>;
      responses: Record<string, { headers?: Record<string, { schema?: { pattern?: string } }> }>;
    };
    for (const key of OPERATIONS) {
      const op = operation(key) as Documented;
      expect({ key, header: op.parameters?.find((p) => p.name === 'X-Request-Id') }).toMatchObject({
        key,
        header: { in: 'header', required: false },
      });
      for (const [status, response] of Object.entries(op.responses)) {
        expect({ key, status, pattern: response.headers?.['X-Request-Id']?.schema?.pattern }).toEqual({
          key,
          status,
          pattern: '^[A-Za-z0-9._-]{1,128}$',
        });
      }
    }
  });

  it('documents the asynchronous answer of every send route: the Prefer header, 202 and Preference-Applied', () => {
    for (const key of SEND_OPERATIONS) {
      const op = operation(key) as Operation & { parameters?: Array<{ name: string; in: string }>; responses: Record<string, { headers?: Record<string, unknown> }> };
      expect(op.parameters?.find((p) => p.name === 'Prefer')).toMatchObject({ in: 'header', required: false });
      expect(op.responses['202']?.headers).toHaveProperty('Preference-Applied');
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '202']));
    }
    const sendAt = document.components.schemas.SendSmsDto?.properties.sendAt;
    expect(sendAt).toMatchObject({ type: 'string', pattern: expect.stringContaining('T') as string });
    expect(document.components.schemas.SendSmsDto?.required).toEqual(['to', 'body']);
  });

  it('states the request constraints of the DTOs', () => {
    const { properties: sms, required: smsRequired } = document.components.schemas.SendSmsDto ?? { properties: {} };
    expect(smsRequired).toEqual(['to', 'body']);
    expect(sms.to).toMatchObject({ type: 'string', pattern: '^\\+[1-9]\\d{1,14}$' });
    expect(sms.body).toMatchObject({ minLength: 1, maxLength: 1600 });
    const email = document.components.schemas.SendEmailDto?.properties ?? {};
    expect(email.to).toMatchObject({ oneOf: [{ format: 'email', maxLength: 253 }, { type: 'array', minItems: 1, maxItems: 50 }] });
    expect(email.subject).toMatchObject({ maxLength: 998, pattern: expect.stringContaining('\\u0000-\\u001f\\u007f-\\u009f') as string });
    // SendTemplateEmailDto is one object schema per template (template-data-schema.ts): each takes attachments.
    const templateSends = (document.components.schemas.SendTemplateEmailDto as unknown as { oneOf: { properties: Record<string, unknown> }[] }).oneOf;
    for (const properties of [email, ...templateSends.map((variant) => variant.properties)]) {
      expect(properties.attachments).toMatchObject({ type: 'array', maxItems: 10, items: { $ref: '#/components/schemas/EmailAttachmentDto' } });
    }
    const attachment = document.components.schemas.EmailAttachmentDto ?? { properties: {} };
    expect(attachment.required).toEqual(['filename', 'content']);
    expect(attachment.properties.content).toMatchObject({ minLength: 4, maxLength: 13_981_016, pattern: expect.stringContaining('[AQgw]==') as string });
    expect(attachment.properties.filename).toMatchObject({ minLength: 1, maxLength: 255 });
    expect(attachment.properties.contentType).toMatchObject({ maxLength: 255, pattern: expect.any(String) as string });
    expect(attachment).toMatchObject({ additionalProperties: false });
    const media = document.components.schemas.WhatsAppMediaDto?.properties ?? {};
    expect(media.url).toMatchObject({ format: 'uri', maxLength: 2048 });
    const logsParameters = (operation('get /messaging/logs') as unknown as { parameters: Array<{ name: string; in: string; schema: Record<string, unknown> }> }).parameters;
    const logsQuery = logsParameters.filter((p) => p.in === 'query');
    expect(logsQuery.map((p) => p.name).sort()).toEqual(['channel', 'cursor', 'direction', 'limit', 'offset', 'since', 'status', 'template', 'tenant', 'to', 'until']);
    expect(logsQuery.find((p) => p.name === 'limit')?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
    expect(logsQuery.find((p) => p.name === 'tenant')?.schema).toMatchObject({ type: 'string', minLength: 1, maxLength: 320 });
  });

  it('documents Idempotency-Key, its 409 and the replay header on the send routes only', () => {
    const sends = SEND_OPERATIONS;
    type Documented = Operation & {
      parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Record<string, unknown> }>;
      responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, { schema: Record<string, unknown> }> }>;
    };
    for (const key of OPERATIONS) {
      const op = operation(key) as Documented;
      const header = op.parameters?.find((p) => p.name === 'Idempotency-Key');
      if (!sends.includes(key) && !BATCH_OPERATIONS.includes(key)) {
        expect({ key, header }).toEqual({ key, header: undefined });
        continue;
      }
      expect(header).toMatchObject({ in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[!-~]+$' } });
      const conflict = op.responses['409']?.content?.['application/json']?.schema as { properties: { error: { properties: { code: { enum: string[] } } } } };
      expect(conflict.properties.error.properties.code.enum).toEqual(['IDEMPOTENCY_CONFLICT']);
      const replayable = BATCH_OPERATIONS.includes(key) ? ['202'] : ['200', '500'];
      for (const status of replayable) expect(Object.keys(op.responses[status]?.headers ?? {})).toContain('Idempotent-Replayed');
      expect(op.responses['400']?.headers?.['Idempotent-Replayed']).toBeUndefined();
    }
  });

  it('documents the batch routes: 1 to 1,000 single-route bodies, and the 202 with every message by index', () => {
    const single = { email: 'SendEmailDto', 'email/template': 'SendTemplateEmailDto', sms: 'SendSmsDto', whatsapp: 'SendWhatsAppDto' };
    for (const [route, dto] of Object.entries(single)) {
      const op = operation(`post /messaging/${route}/batch`);
      const ref = op.requestBody?.content['application/json']?.schema.$ref ?? '';
      const body = document.components.schemas[ref.replace('#/components/schemas/', '')] as unknown as Record<string, unknown>;
      expect(body).toMatchObject({
        required: ['messages'],
        additionalProperties: false,
        properties: { messages: { type: 'array', minItems: 1, maxItems: 1000, items: { $ref: `#/components/schemas/${dto}` } } },
      });
      const accepted = op.responses['202']?.content?.['application/json']?.schema as { properties: Record<string, { items?: { oneOf: unknown[] } }> };
      expect(Object.keys(accepted.properties)).toEqual(['accepted', 'rejected', 'results']);
      expect(accepted.properties.results?.items?.oneOf).toHaveLength(2);
      expect(codesOf(`post /messaging/${route}/batch`, '400')).toEqual(['VALIDATION_ERROR', 'PROVIDER_NOT_CONFIGURED', 'QUEUE_NOT_CONFIGURED']);
      expect(Object.keys(op.responses)).not.toContain('200');
    }
  });

  it('serves the interactive UI at /messaging/docs', async () => {
    const page = await fetch(`${app.url}/messaging/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger-ui');
  });
});

describe('OPENAPI_ENABLED=false', () => {
  const database = testDatabaseUri('openapi-off');
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp({ MONGODB_URI: database, OPENAPI_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app.stop();
    await dropTestDatabase(database);
  });

  it.each(['/messaging/docs', '/messaging/docs-json'])('answers %s with 404 NOT_FOUND', async (path) => {
    const response = await request(`${app.url}${path}`);
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
