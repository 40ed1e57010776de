import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { TEST_JWT_SECRET, type RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';

interface Page {
  logs: { id: string; to: string }[];
  total: number;
  nextCursor: string | null;
}

const token = (sub: string, claims: Record<string, unknown> = {}) =>
  jwt.sign({ sub, exp: Math.floor(Date.now() / 1000) + 600, ...claims }, TEST_JWT_SECRET, { algorithm: 'HS256' });
const as = (sub: string, claims: Record<string, unknown> = {}) => ({ authorization: `Bearer ${token(sub, claims)}` });

const ACME = as('acme-billing', { tenant: 'acme' });
const ACME_OTHER_APP = as('acme-crm', { tenant: 'acme' });
const GLOBEX = as('globex-billing', { tenant: 'globex' });
const ADMIN = as('operator', { scope: 'messaging:admin' });
const LEGACY = as('legacy-client');
/** When the row from before tenants was written. */
const oldRowTime = new Date(Date.now() - 3_600_000);
/** One instant for every send, so a retried request's body is the same. */
const IN_A_DAY = new Date(Date.now() + 86_400_000).toISOString();

describe('tenants: each sees and cancels only its own rows', () => {
  const environment = testEnvironment({ name: 'access_tenants', smtp: true, redis: true });
  let app: RunningApp;
  const ids: Record<'acme1' | 'acme2' | 'globex', string> = { acme1: '', acme2: '', globex: '' };

  const send = async (headers: Record<string, string>, to: string, extra: Record<string, string> = {}) => {
    const response = await request<{ messageId: string }>(`${app.url}/messaging/email`, {
      headers: { ...headers, ...extra },
      body: { to, subject: 'Later', body: '<p>later</p>', sendAt: IN_A_DAY },
    });
    expect(response.status).toBe(202);
    return response;
  };
  const list = (headers: Record<string, string>, query = '') =>
    request<Page>(`${app.url}/messaging/logs${query}`, { headers });
  const recipients = (page: Page) => page.logs.map((row) => row.to).sort();

  beforeAll(async () => {
    // A row from before tenants: no tenant field, only requestedBy.
    const connection = await mongoose.createConnection(environment.databaseUri).asPromise();
    const now = oldRowTime;
    await connection.collection('message_logs').insertOne({
      channel: 'email', to: 'old@example.com', status: 'sent', provider: 'smtp', requestedBy: 'legacy-client', createdAt: now, updatedAt: now,
    });
    await connection.close();
    app = await environment.startApp();
    ids.acme1 = (await send(ACME, 'a1@example.com')).body.messageId;
    ids.acme2 = (await send(ACME_OTHER_APP, 'a2@example.com')).body.messageId;
    ids.globex = (await send(GLOBEX, 'g1@example.com')).body.messageId;
  });

  it('records the tenant on every row: the tenant claim, else the subject', async () => {
    expect(await environment.logs.byId(ids.acme1)).toMatchObject({ tenant: 'acme', requestedBy: 'acme-billing' });
    expect(await environment.logs.byId(ids.globex)).toMatchObject({ tenant: 'globex', requestedBy: 'globex-billing' });
  });

  it('lists only the caller tenant\'s rows, whichever of its clients asks', async () => {
    for (const headers of [ACME, ACME_OTHER_APP]) {
      const { body } = await list(headers);
      expect(recipients(body)).toEqual(['a1@example.com', 'a2@example.com']);
      expect(body.total).toBe(2);
    }
    expect(recipients((await list(GLOBEX)).body)).toEqual(['g1@example.com']);
    // Filters cannot reach across: another tenant's recipient simply matches nothing.
    expect((await list(ACME, '?to=g1@example.com')).body).toMatchObject({ logs: [], total: 0 });
  });

  it('answers 404 for another tenant\'s row by id, as if it did not exist', async () => {
    expect((await request(`${app.url}/messaging/logs/${ids.acme1}`, { headers: ACME_OTHER_APP })).status).toBe(200);
    const response = await request(`${app.url}/messaging/logs/${ids.acme1}`, { headers: GLOBEX });
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Message log not found' } });
  });

  it('refuses a cursor one tenant got when another tenant sends it', async () => {
    const first = await list(ACME, '?limit=1');
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const reused = await list(GLOBEX, `?limit=1&cursor=${first.body.nextCursor}`);
    expect(reused.status).toBe(400);
    expect(reused.body).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
    expect((await list(ACME_OTHER_APP, `?limit=1&cursor=${first.body.nextCursor}`)).status).toBe(200);
  });

  it('cannot cancel another tenant\'s message: 404, and the message stays scheduled', async () => {
    const cancel = (id: string, headers: Record<string, string>) =>
      request(`${app.url}/messaging/messages/${id}`, { method: 'DELETE', headers });
    const refused = await cancel(ids.globex, ACME);
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({ error: { code: 'NOT_FOUND', message: 'Message not found' } });
    expect(await environment.logs.byId(ids.globex)).toMatchObject({ status: 'scheduled' });
    expect((await cancel(ids.globex, GLOBEX)).status).toBe(200);
    expect(await environment.logs.byId(ids.globex)).toMatchObject({ status: 'cancelled' });
  });

  it('keeps Idempotency-Keys apart per tenant: the same key is a new send for another tenant', async () => {
    const key = { 'idempotency-key': 'shared-key-1' };
    const first = await send(ACME, 'idem-acme@example.com', key);
    const again = await send(ACME, 'idem-acme@example.com', key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.messageId).toBe(first.body.messageId);
    const other = await send(GLOBEX, 'idem-globex@example.com', key);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(other.body.messageId).not.toBe(first.body.messageId);
    expect(await environment.logs.byId(other.body.messageId)).toMatchObject({ tenant: 'globex', to: 'idem-globex@example.com' });
  });

  it('shows an admin every tenant, and one tenant with ?tenant=', async () => {
    const all = recipients((await list(ADMIN, '?limit=100')).body);
    expect(all).toEqual(expect.arrayContaining(['a1@example.com', 'a2@example.com', 'g1@example.com', 'old@example.com']));
    const acme = (await list(ADMIN, '?tenant=acme&limit=100')).body;
    expect(new Set(recipients(acme))).toEqual(new Set(['a1@example.com', 'a2@example.com', 'idem-acme@example.com']));
    expect((await request(`${app.url}/messaging/logs/${ids.acme1}`, { headers: ADMIN })).status).toBe(200);
  });

  it('answers 403 FORBIDDEN to ?tenant= without messaging:admin, even for its own tenant', async () => {
    for (const query of ['?tenant=globex', '?tenant=acme']) {
      const response = await list(ACME, query);
      expect(response.status).toBe(403);
      expect(response.body).toMatchObject({ error: { code: 'FORBIDDEN', details: { scope: 'messaging:admin' } } });
    }
  });

  it('gives rows from before tenants to their requestedBy: a token without a tenant claim sees its old rows', async () => {
    const deadline = Date.now() + 15_000;
    let page = (await list(LEGACY)).body;
    while (page.total === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = (await list(LEGACY)).body;
    }
    expect(recipients(page)).toEqual(['old@example.com']);
    expect(recipients((await list(ACME)).body)).not.toContain('old@example.com');
    // Giving it a tenant is not a change of the message: updatedAt stays.
    expect((await environment.logs.byRequester('legacy-client'))[0]).toMatchObject({ tenant: 'legacy-client', updatedAt: oldRowTime });
  });
});

describe('tenants: one rate limit per tenant', () => {
  const environment = testEnvironment({ name: 'access_tenant_throttle', throttle: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({ THROTTLE_LIMIT: '2', THROTTLE_TTL_MS: '60000' });
  });

  it('counts every client of a tenant against one budget, and other tenants apart', async () => {
    const get = (headers: Record<string, string>) => request(`${app.url}/messaging/logs`, { headers });
    expect((await get(ACME)).status).toBe(200);
    expect((await get(ACME_OTHER_APP)).status).toBe(200);
    expect((await get(ACME)).status).toBe(429);
    expect((await get(ACME_OTHER_APP)).status).toBe(429);
    expect((await get(GLOBEX)).status).toBe(200);
  });
});
