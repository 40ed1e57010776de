import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { FakeTwilio } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { sharedRedisUrl, uniqueKeyPrefix } from './helpers/private-redis.js';
import { bearer } from './helpers/tokens.js';

type Schema = {
  properties?: Record<string, Schema>;
  required?: string[];
  oneOf?: Schema[];
  enum?: unknown[];
  pattern?: string;
  example?: unknown;
  additionalProperties?: unknown;
};
interface Link {
  operationId: string;
  parameters: Record<string, string>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, { links?: Record<string, Link> }> }>>;
  components: { schemas: Record<string, Schema> };
}

/**
 * The served OpenAPI document promises only what the API does (issue #15 item 7): its examples
 * are accepted, its patterns admit only accepted values, the template bodies say which data each
 * template takes, ids lead somewhere, and a known path with another method answers 405.
 */
describe('OpenAPI document and API agree', () => {
  const database = testDatabaseUri('openapi-truth');
  let twilio: FakeTwilio;
  let app: RunningApp;
  let document: OpenApiDocument;
  const auth = bearer();

  beforeAll(async () => {
    twilio = await FakeTwilio.start({ record: false });
    app = await startApp({
      MONGODB_URI: database,
      ...twilio.env(),
      TWILIO_SMS_FROM: '+15550000001',
      REDIS_URL: sharedRedisUrl(),
      REDIS_KEY_PREFIX: uniqueKeyPrefix('openapi-truth'),
    });
    document = (await request<OpenApiDocument>(`${app.url}/messaging/docs-json`)).body;
  }, 60_000);
  afterAll(async () => {
    await app?.stop();
    await twilio?.stop();
    await dropTestDatabase(database);
  });

  it('documents a sendAt example, matching its own pattern, that the API schedules', async () => {
    const sendAt = document.components.schemas.SendSmsDto?.properties?.sendAt ?? {};
    expect(typeof sendAt.example).toBe('string');
    expect(new RegExp(sendAt.pattern ?? '').test(String(sendAt.example))).toBe(true);
    expect(new RegExp(sendAt.pattern ?? '').test('2025-06-01T09:00:00Z')).toBe(false);
    // The 202 echoes when the message goes out: any instant, not the window requests are held to.
    expect(document.components.schemas.MessageAcceptedModel?.properties?.sendAt?.pattern).toBeUndefined();
    const response = await request(`${app.url}/messaging/sms`, {
      headers: auth,
      body: { to: '+14155550100', body: 'hi', sendAt: sendAt.example },
    });
    expect(response).toMatchObject({ status: 202, body: { status: 'scheduled' } });
  });

  it('admits in since/until only dates the API accepts', async () => {
    const logs = document.paths['/messaging/logs']?.get as unknown as { parameters: Array<{ name: string; schema: Schema }> };
    const since = new RegExp(logs.parameters.find((p) => p.name === 'since')?.schema.pattern ?? '');
    for (const value of ['0000-00-00', '2025-02-29', '2025-04-31', '2025-01-15T24:00Z', '2025-01-15T10:30+24:00']) {
      expect({ value, documented: since.test(value) }).toEqual({ value, documented: false });
    }
    for (const value of ['0000-01-01', '2024-02-29', '2025-12-31T23:59:59.5-23:59']) {
      expect({ value, documented: since.test(value) }).toEqual({ value, documented: true });
      const response = await request(`${app.url}/messaging/logs?since=${encodeURIComponent(value)}`, { headers: auth });
      expect({ value, status: response.status }).toEqual({ value, status: 200 });
    }
  });

  it('documents the data of each template, which is what the preview accepts and refuses', async () => {
    const preview = document.components.schemas.PreviewTemplateDto ?? {};
    const branches = preview.oneOf ?? [];
    expect(branches.map((b) => b.properties?.template?.enum?.[0]).sort()).toEqual([
      'notification',
      'password-reset',
      'verify-email',
      'welcome',
    ]);
    const welcome = branches.find((b) => b.properties?.template?.enum?.[0] === 'welcome') ?? {};
    expect(welcome.required).toEqual(['template', 'data']);
    expect(welcome.properties?.data).toMatchObject({ additionalProperties: false, required: ['name', 'appName'] });
    const post = (body: unknown) => request(`${app.url}/messaging/email/template/preview`, { headers: auth, body });
    // What the schema refuses, the API refuses: no data, an undeclared key, an unknown field.
    expect((await post({ template: 'welcome' })).status).toBe(400);
    expect((await post({ template: 'welcome', data: { name: 'A', appName: 'B', nmae: 'typo' } })).status).toBe(400);
    expect((await post({ template: 'welcome', data: { name: 'A', appName: 'B' }, extra: 1 })).status).toBe(400);
    expect(preview.oneOf?.every((b) => b.additionalProperties === false)).toBe(true);
    // What it allows, the API renders.
    expect((await post({ template: 'welcome', data: { name: 'A', appName: 'B', actionUrl: null } })).status).toBe(200);
  });

  it('links the messageId of a 202 to the log row and the cancellation', () => {
    const operationIds = new Set(Object.values(document.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId)));
    for (const path of ['/messaging/email', '/messaging/email/template', '/messaging/sms', '/messaging/whatsapp']) {
      const links = document.paths[path]?.post?.responses['202']?.links ?? {};
      expect({ path, links }).toMatchObject({
        path,
        links: {
          GetMessageLog: { operationId: 'LogsController_get', parameters: { id: '$response.body#/messageId' } },
          CancelMessage: { operationId: 'MessagesController_cancel', parameters: { id: '$response.body#/messageId' } },
        },
      });
      for (const link of Object.values(links)) expect(operationIds.has(link.operationId)).toBe(true);
    }
  });

  it('links the id of every synchronous send (200) to its log row', () => {
    for (const path of ['/messaging/email', '/messaging/email/template', '/messaging/sms', '/messaging/whatsapp']) {
      const links = document.paths[path]?.post?.responses['200']?.links ?? {};
      expect({ path, links }).toEqual({
        path,
        links: { GetMessageLog: expect.objectContaining({ operationId: 'LogsController_get', parameters: { id: '$response.body#/id' } }) as unknown },
      });
    }
  });

  it.each([
    ['PUT', '/messaging/sms', 'POST'],
    ['GET', '/messaging/email/template/preview', 'POST'],
    ['DELETE', '/messaging/logs/0123456789abcdef01234567', 'GET, HEAD'],
    ['GET', '/messaging/messages/0123456789abcdef01234567', 'DELETE'],
    ['OPTIONS', '/messaging/health', 'GET, HEAD'],
    ['QUERY', '/messaging/logs/0123456789abcdef01234567', 'GET, HEAD'],
    ['POST', '/messaging/docs-json', 'GET, HEAD'],
  ])('answers %s %s with 405 METHOD_NOT_ALLOWED and Allow: %s', async (method, path, allow) => {
    const response = await request(`${app.url}${path}`, { method, headers: auth });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.body).toMatchObject({ error: { code: 'METHOD_NOT_ALLOWED', details: { allowed: allow.split(', ') } } });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('still answers 404 for a path the API does not have', async () => {
    const response = await request(`${app.url}/messaging/nothing-here`, { method: 'PUT', headers: auth });
    expect(response).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });
});
