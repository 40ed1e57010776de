import mongoose, { Types } from 'mongoose';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { fields: { field: string; errors: string[] }[] } };
}

interface LogView {
  _id: string;
  to: string | string[];
  error?: { code: string; message: string; providerCode?: string };
}

interface LogsPage {
  logs: LogView[];
  total: number;
  nextCursor: string | null;
}

const cursorOf = (payload: string) => Buffer.from(payload, 'utf8').toString('base64url');

/**
 * Query validation and operator injection on GET /messaging/logs. Fastify
 * parses `to[$ne]=x` as the literal key "to[$ne]" and `to=a&to=b` as an
 * array; both must be refused, never turned into an operator.
 */
describe('GET /messaging/logs and /messaging/logs/:id: validation, injection, ids', () => {
  const uri = testDatabaseUri('logs_validation');
  let app: RunningApp;
  const get = (query: string) => request<ErrorBody & LogsPage>(`${app.url}/messaging/logs?${query}`, { headers: bearer() });

  beforeAll(async () => {
    const connection = await mongoose.createConnection(uri).asPromise();
    const createdAt = new Date('2025-03-01T12:00:00Z');
    await connection.collection('message_logs').insertMany(
      ['a@example.com', 'b@example.com', ['c@example.com', 'd@example.com']].map((to, i) => ({
        _id: new Types.ObjectId(),
        channel: 'email',
        to,
        ...(i === 1
          ? { status: 'failed', error: { code: 'SEND_FAILED', message: 'Mailbox unavailable', providerCode: '550' } }
          : { status: 'sent', messageId: `msg-${i}` }),
        provider: 'smtp',
        createdAt: new Date(createdAt.getTime() + i),
        updatedAt: createdAt,
      })),
    );
    await connection.close();
    // The throttle would cut these many requests short; it has its own tests.
    app = await startApp({ MONGODB_URI: uri, THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await app?.stop();
    await dropTestDatabase(uri);
  });

  async function expectInvalid(query: string, field: string) {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.details?.fields.map((f) => f.field)).toContain(field);
    expect(response.body).not.toHaveProperty('logs');
  }

  it.each([
    ['unknown channel', 'channel=fax', 'channel'],
    ['channel in another case', 'channel=EMAIL', 'channel'],
    ['empty channel', 'channel=', 'channel'],
    ['unknown status', 'status=bounced', 'status'],
    ['non-numeric limit', 'limit=ten', 'limit'],
    ['fractional limit', 'limit=2.5', 'limit'],
    ['exponent limit', 'limit=1e1', 'limit'],
    ['limit 0', 'limit=0', 'limit'],
    ['limit 101', 'limit=101', 'limit'],
    ['negative offset', 'offset=-1', 'offset'],
    ['non-numeric offset', 'offset=abc', 'offset'],
    ['offset past the deepest offset page', 'offset=1000001', 'offset'],
    ['empty limit', 'limit=', 'limit'],
    ['a date that is no date', 'since=yesterday', 'since'],
    ['an impossible date', 'until=2025-02-30', 'until'],
    ['a date-time without offset', 'since=2025-03-01T12:00:00', 'since'],
    ['since after until', 'since=2025-03-02&until=2025-03-01', 'since'],
    ['empty recipient', 'to=', 'to'],
    ['recipient with CR/LF', 'to=a%40example.com%0D%0ABcc%3A%20x%40example.com', 'to'],
    ['unknown key', 'sort=createdAt', 'sort'],
    ['garbage cursor', 'cursor=not-a-cursor', 'cursor'],
    ['cursor with padding', 'cursor=abcd%3D', 'cursor'],
    ['cursor of another layout', `cursor=${cursorOf('{"createdAt":{"$gt":0}}')}`, 'cursor'],
    ['cursor with a bad id', `cursor=${cursorOf('v1:1740830400000:zzzz')}`, 'cursor'],
    ['cursor beside an offset', `cursor=${cursorOf(`v1:1740830400000:${'a'.repeat(24)}`)}&offset=20`, 'offset'],
  ])('400 for %s', async (_name, query, field) => {
    await expectInvalid(query, field);
  });

  it('lists every bad field at once', async () => {
    const response = await get('channel=fax&status=nope&limit=0');
    expect(response.status).toBe(400);
    expect(response.body.error.details?.fields.map((f) => f.field).sort()).toEqual(['channel', 'limit', 'status']);
  });

  describe('operator shapes are refused, never evaluated', () => {
    it.each([
      ['to[$ne]=x', 'to[$ne]'],
      ['to[$gt]=', 'to[$gt]'],
      ['to[$regex]=.*', 'to[$regex]'],
      ['channel[$in]=email&channel[$in]=sms', 'channel[$in]'],
      ['status[$nin][]=failed', 'status[$nin][]'],
      ['__proto__[status]=sent', '__proto__[status]'],
      ['__proto__=x', '__proto__'],
      ['constructor[prototype][admin]=1', 'constructor[prototype][admin]'],
      ['constructor=x', 'constructor'],
      ['$where=1', '$where'],
    ])('%s', async (query, field) => {
      await expectInvalid(query, field);
    });

    it.each([
      ['a repeated recipient', 'to=a%40example.com&to=b%40example.com', 'to'],
      ['a repeated channel', 'channel=email&channel=sms', 'channel'],
      ['a repeated limit', 'limit=1&limit=2', 'limit'],
      ['a repeated cursor', 'cursor=a&cursor=b', 'cursor'],
    ])('%s (an array) is refused', async (_name, query, field) => {
      await expectInvalid(query, field);
    });

    it('a recipient spelled like an operator matches literally (nothing here)', async () => {
      for (const to of ['$ne', '{"$ne":null}', '$gt', '.*']) {
        const response = await get(`to=${encodeURIComponent(to)}`);
        expect(response.status).toBe(200);
        expect(response.body.total).toBe(0);
        expect(response.body.logs).toEqual([]);
      }
    });

    it('a real recipient still matches, proving the filter is applied', async () => {
      const response = await get('to=d%40example.com');
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(1);
      expect(response.body.logs[0]?.to).toEqual(['c@example.com', 'd@example.com']);
    });
  });

  describe('GET /messaging/logs/:id', () => {
    const getOne = (id: string) => request<LogView & ErrorBody>(`${app.url}/messaging/logs/${id}`, { headers: bearer() });

    it('answers one row in the same shape as the list', async () => {
      const listed = (await get('status=failed')).body.logs[0];
      const response = await getOne(listed._id);
      expect(response.status).toBe(200);
      expect(response.body).toEqual(listed);
      expect(response.body.error).toEqual({ code: 'SEND_FAILED', message: 'Mailbox unavailable', providerCode: '550' });
    });

    it('accepts the id in uppercase hex', async () => {
      const id = (await get('limit=1')).body.logs[0]._id;
      const response = await getOne(id.toUpperCase());
      expect(response.status).toBe(200);
      expect(response.body._id).toBe(id);
    });

    it('answers 404 NOT_FOUND for a well-formed id that is not there', async () => {
      const response = await getOne(new Types.ObjectId().toHexString());
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Message log not found' } });
    });

    it.each(['abc', '0123456789abcdef0123456', '0123456789abcdef012345678', '0123456789abcdef0123456g', '%24ne', 'null'])(
      'answers 400 VALIDATION_ERROR for the malformed id %s',
      async (id) => {
        const response = await getOne(id);
        expect(response.status).toBe(400);
        expect(response.body.error.code).toBe('VALIDATION_ERROR');
        expect(response.body.error.details?.fields.map((f) => f.field)).toEqual(['id']);
      },
    );

    it('refuses a query string', async () => {
      const response = await getOne(`${new Types.ObjectId().toHexString()}?to[$ne]=x`);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('VALIDATION_ERROR');
    });
  });
});
