import mongoose, { Types } from 'mongoose';
import { startApp, type RunningApp } from './helpers/app-process.js';
import { dropTestDatabase, testDatabaseUri } from './helpers/database.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

/** A row as the tests seed it (straight into the collection, bypassing the send path). */
interface SeedRow {
  _id: Types.ObjectId;
  channel: 'email' | 'sms' | 'whatsapp';
  to: string | string[];
  cc?: string[];
  subject?: string;
  template?: string;
  status: 'pending' | 'sent' | 'failed';
  messageId?: string;
  provider: string;
  error?: { code: string; message: string; providerCode?: string };
  requestedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

interface LogView {
  _id: string;
  channel: string;
  to: string | string[];
  status: string;
  createdAt: string;
  updatedAt: string;
  [key: string]: unknown;
}

interface LogsPage {
  logs: LogView[];
  total: number;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

const BASE = Date.parse('2025-03-01T12:00:00.000Z');
const MINUTE = 60_000;
const ALLOWED_KEYS = ['_id', 'channel', 'to', 'subject', 'template', 'status', 'messageId', 'provider', 'error', 'createdAt', 'updatedAt'];

/** Every fourth email goes to a list that includes an address found only in lists. */
function emailRecipient(i: number): string | string[] {
  return i % 4 === 0 ? [`user${i % 6}@example.com`, 'shared@example.com'] : `user${i % 6}@example.com`;
}

/**
 * 47 rows, three per minute, the three of a minute sharing one millisecond
 * (so only the `_id` tie-break orders them, newest id first: the reverse of
 * insertion order, which is what a scan returns): every channel and status,
 * scalar and list recipients,
 * templates, plus one recipient spelled like an operator.
 */
function seedRows(): SeedRow[] {
  const rows: SeedRow[] = [];
  for (let i = 0; i < 47; i++) {
    const channel = (['email', 'sms', 'whatsapp'] as const)[i % 3];
    const status = i % 5 === 0 ? 'failed' : i % 7 === 0 ? 'pending' : 'sent';
    // Three rows per minute, all in the same millisecond.
    const createdAt = new Date(BASE + Math.floor(i / 3) * MINUTE);
    const email = channel === 'email';
    rows.push({
      _id: new Types.ObjectId(),
      channel,
      to: email ? emailRecipient(i) : `+1555000${String(i % 4).padStart(4, '0')}`,
      ...(email ? { subject: `Subject ${i}`, cc: ['cc@example.com'] } : {}),
      ...(email && i % 2 === 0 ? { template: i % 4 === 0 ? 'welcome' : 'invoice' } : {}),
      status,
      ...(status === 'sent' ? { messageId: `msg-${i}` } : {}),
      provider: email ? 'smtp' : 'twilio',
      ...(status === 'failed' ? { error: { code: 'SEND_FAILED', message: `failure ${i}`, providerCode: '550' } } : {}),
      requestedBy: 'billing-service',
      createdAt,
      updatedAt: new Date(createdAt.getTime() + 1500),
    });
  }
  // A recipient that looks like an operator: must only ever match literally.
  rows.push({ ...rows[0], _id: new Types.ObjectId(), to: '$ne', createdAt: new Date(BASE - MINUTE) });
  return rows;
}

/** Newest first, `_id` descending within one millisecond: the order the API promises. */
function ordered(rows: SeedRow[]): string[] {
  return [...rows]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString()))
    .map((row) => row._id.toHexString());
}

describe('GET /messaging/logs', () => {
  const uri = testDatabaseUri('logs');
  const rows = seedRows();
  let app: RunningApp;

  const get = (query = '') => request<LogsPage>(`${app.url}/messaging/logs${query ? `?${query}` : ''}`, { headers: bearer() });

  beforeAll(async () => {
    const connection = await mongoose.createConnection(uri).asPromise();
    await connection.collection('message_logs').insertMany(rows);
    await connection.close();
    // The throttle would cut these many requests short; it has its own tests.
    app = await startApp({ MONGODB_URI: uri, THROTTLE_LIMIT: '100000' });
  });
  afterAll(async () => {
    await app?.stop();
    await dropTestDatabase(uri);
  });

  it('needs a bearer token', async () => {
    const response = await request(`${app.url}/messaging/logs`);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it('answers the seed shape: newest 20 rows, total of every row, limit 20, offset 0', async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(Object.keys(response.body)).toEqual(['logs', 'total', 'limit', 'offset', 'nextCursor']);
    expect(response.body).toMatchObject({ total: rows.length, limit: 20, offset: 0 });
    expect(response.body.logs.map((log) => log._id)).toEqual(ordered(rows).slice(0, 20));
    expect(typeof response.body.nextCursor).toBe('string');
  });

  it('shows each row with a 24-hex _id, ISO-8601 UTC dates and no internal fields', async () => {
    const { body } = await get('limit=100');
    const byId = new Map(rows.map((row) => [row._id.toHexString(), row]));
    for (const log of body.logs) {
      const row = byId.get(log._id) as SeedRow;
      expect(log._id).toMatch(/^[0-9a-f]{24}$/);
      expect(Object.keys(log).every((key) => ALLOWED_KEYS.includes(key))).toBe(true);
      expect(log.createdAt).toBe(row.createdAt.toISOString());
      expect(log.updatedAt).toBe(row.updatedAt.toISOString());
      expect(log.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(log).toMatchObject({ channel: row.channel, to: row.to, status: row.status, provider: row.provider });
      expect(log.subject).toBe(row.subject);
      expect(log.template).toBe(row.template);
      expect(log.messageId).toBe(row.messageId);
      expect(log.error).toEqual(row.error);
      expect(log).not.toHaveProperty('cc');
      expect(log).not.toHaveProperty('requestedBy');
    }
  });

  describe('filters', () => {
    const since = new Date(BASE + 5 * MINUTE);
    const until = new Date(BASE + 9 * MINUTE);
    const cases: [string, string, (row: SeedRow) => boolean][] = [
      ['channel', 'channel=sms', (r) => r.channel === 'sms'],
      ['status', 'status=failed', (r) => r.status === 'failed'],
      ['recipient (scalar or list member)', 'to=user0%40example.com', (r) => [r.to].flat().includes('user0@example.com')],
      ['recipient found only inside lists', 'to=shared%40example.com', (r) => Array.isArray(r.to) && r.to.includes('shared@example.com')],
      ['phone recipient', 'to=%2B15550000001', (r) => r.to === '+15550000001'],
      ['template', 'template=welcome', (r) => r.template === 'welcome'],
      ['since (inclusive)', `since=${since.toISOString()}`, (r) => r.createdAt >= since],
      ['until (exclusive)', `until=${until.toISOString()}`, (r) => r.createdAt < until],
      ['since with an offset', `since=${encodeURIComponent('2025-03-01T14:05:00+02:00')}`, (r) => r.createdAt >= since],
      ['date range', `since=${since.toISOString()}&until=${until.toISOString()}`, (r) => r.createdAt >= since && r.createdAt < until],
      ['channel+status', 'channel=email&status=sent', (r) => r.channel === 'email' && r.status === 'sent'],
      ['channel+recipient+range', `channel=email&to=shared%40example.com&since=${since.toISOString()}`, (r) => r.channel === 'email' && [r.to].flat().includes('shared@example.com') && r.createdAt >= since],
      ['no match', 'to=nobody%40example.com', () => false],
      ['operator-looking recipient, matched literally', 'to=%24ne', (r) => r.to === '$ne'],
    ];

    it.each(cases)('%s', async (_name, query, matches) => {
      const response = await get(`${query}&limit=100`);
      expect(response.status).toBe(200);
      const expected = ordered(rows.filter(matches));
      expect(response.body.logs.map((log) => log._id)).toEqual(expected);
      expect(response.body.total).toBe(expected.length);
    });

    it('counts every match in total, not just the page', async () => {
      const expected = ordered(rows.filter((r) => r.channel === 'email'));
      const { body } = await get('channel=email&limit=3');
      expect(body.logs.map((log) => log._id)).toEqual(expected.slice(0, 3));
      expect(body.total).toBe(expected.length);
    });
  });

  describe('pagination', () => {
    /** Every page by offset, then every page by following nextCursor. */
    async function allPages(filter: string, limit: number) {
      const byOffset: LogsPage[] = [];
      for (let offset = 0; offset === 0 || offset < (byOffset[0]?.total ?? 0); offset += limit) {
        byOffset.push((await get(`${filter}limit=${limit}&offset=${offset}`)).body);
      }
      const byCursor: LogsPage[] = [(await get(`${filter}limit=${limit}`)).body];
      for (let cursor = byCursor[0].nextCursor; cursor !== null; cursor = byCursor[byCursor.length - 1].nextCursor) {
        const next = await get(`${filter}limit=${limit}&cursor=${cursor}`);
        expect(next.status).toBe(200);
        byCursor.push(next.body);
      }
      return { byOffset, byCursor };
    }

    it.each([
      ['all rows', '', 1],
      ['all rows', '', 7],
      ['all rows', '', 20],
      ['email only', 'channel=email&', 4],
      ['a date range', `since=${new Date(BASE + 3 * MINUTE).toISOString()}&`, 5],
    ])('%s, filter "%s", %i per page: pages concatenate to the full order, total constant, cursor pages = offset pages', async (_name, filter, limit) => {
      const everything = (await get(`${filter}limit=100`)).body;
      const { byOffset, byCursor } = await allPages(filter, limit);
      const ids = (pages: LogsPage[]) => pages.flatMap((page) => page.logs.map((log) => log._id));
      expect(ids(byOffset)).toEqual(everything.logs.map((log) => log._id));
      expect(new Set(byOffset.map((page) => page.total))).toEqual(new Set([everything.total]));
      expect(byCursor.map((page) => page.logs.map((log) => log._id))).toEqual(byOffset.map((page) => page.logs.map((log) => log._id)));
      expect(new Set(byCursor.map((page) => page.total))).toEqual(new Set([everything.total]));
      expect(byCursor.at(-1)?.nextCursor).toBeNull();
      expect(byOffset.every((page) => page.limit === limit)).toBe(true);
    });

    it('nextCursor of an offset page continues exactly where the next offset page starts', async () => {
      const middle = (await get('limit=10&offset=10')).body;
      const [byCursor, byOffset] = [(await get(`limit=10&cursor=${middle.nextCursor}`)).body, (await get('limit=10&offset=20')).body];
      expect(byCursor.logs.map((log) => log._id)).toEqual(byOffset.logs.map((log) => log._id));
    });

    it('answers an empty page past the end, with the total', async () => {
      const { body } = await get('offset=1000');
      expect(body).toEqual({ logs: [], total: rows.length, limit: 20, offset: 1000, nextCursor: null });
    });
  });
});
