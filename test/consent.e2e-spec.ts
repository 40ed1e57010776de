import type { RunningApp } from './helpers/app-process.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

/** The suppression list, its API, and the check before every synchronous send (docs/consent.md). */
describe('consent: the suppression list and the check before a send', () => {
  const environment = testEnvironment({ name: 'consent', smtp: true, twilio: true });
  let app: RunningApp;
  let tenants = 0;
  /** A fresh tenant (token subject) per test, so each test has its own list and log rows. */
  const nextTenant = () => `consent-tenant-${++tenants}`;

  beforeAll(async () => {
    app = await environment.startApp({ TWILIO_MAX_RETRIES: '0' });
  });

  const call = (tenant: string, method: string, path: string, body?: unknown) =>
    request<Record<string, unknown>>(`${app.url}/messaging${path}`, { method, headers: bearer({ sub: tenant }), body });
  const suppress = (tenant: string, body: Record<string, unknown>) => call(tenant, 'POST', '/suppressions', body);
  const errorCode = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

  describe('the API', () => {
    it('adds an entry once (201, then 200 with the same entry), normalised, and lists it', async () => {
      const tenant = nextTenant();
      const first = await suppress(tenant, { channel: 'email', address: '  Ann.Lee@Example.COM ' });
      expect(first.status).toBe(201);
      expect(first.body).toEqual({
        channel: 'email',
        address: 'ann.lee@example.com',
        scope: 'all',
        reason: 'manual',
        source: 'api',
        allTenants: false,
        createdAt: expect.any(String) as string,
      });
      const again = await suppress(tenant, { channel: 'email', address: 'ann.lee@example.com' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      const whatsapp = await suppress(tenant, { channel: 'whatsapp', address: 'whatsapp:+14155550100', scope: 'marketing', reason: 'opted_out' });
      expect(whatsapp.body).toMatchObject({ channel: 'whatsapp', address: '+14155550100', scope: 'marketing', reason: 'opted_out' });

      const list = await call(tenant, 'GET', '/suppressions');
      expect(list.status).toBe(200);
      expect(list.body).toEqual({ suppressions: [first.body, whatsapp.body], nextCursor: null });
      const filtered = await call(tenant, 'GET', '/suppressions?channel=email&address=ANN.LEE%40example.com');
      expect(filtered.body).toEqual({ suppressions: [first.body], nextCursor: null });
    });

    it('pages with a cursor', async () => {
      const tenant = nextTenant();
      for (const n of [1, 2, 3]) await suppress(tenant, { channel: 'sms', address: `+1415555010${n}` });
      const first = await call(tenant, 'GET', '/suppressions?limit=2');
      const addresses = (page: Record<string, unknown>) => (page['suppressions'] as { address: string }[]).map((s) => s.address);
      expect(addresses(first.body)).toEqual(['+14155550101', '+14155550102']);
      expect(first.body['nextCursor']).toMatch(/^[0-9a-f]{24}$/);
      const second = await call(tenant, 'GET', `/suppressions?limit=2&cursor=${String(first.body['nextCursor'])}`);
      expect(second.body).toEqual({ suppressions: [expect.objectContaining({ address: '+14155550103' })], nextCursor: null });
    });

    it('keeps each tenant to its own list', async () => {
      const owner = nextTenant();
      const other = nextTenant();
      await suppress(owner, { channel: 'sms', address: '+14155550111' });
      expect((await call(other, 'GET', '/suppressions')).body).toEqual({ suppressions: [], nextCursor: null });
      expect((await call(other, 'DELETE', '/suppressions/sms/%2B14155550111')).status).toBe(404);
      expect((await call(other, 'POST', '/sms', { to: '+14155550111', body: 'hi' })).status).toBe(200);
      expect((await call(owner, 'POST', '/sms', { to: '+14155550111', body: 'hi' })).status).toBe(422);
    });

    it('removes an entry (204), of one scope or both, and answers 404 when there is none', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'sms', address: '+14155550121', scope: 'all' });
      await suppress(tenant, { channel: 'sms', address: '+14155550121', scope: 'marketing' });
      expect((await call(tenant, 'DELETE', '/suppressions/sms/%2B14155550121?scope=marketing')).status).toBe(204);
      expect((await call(tenant, 'GET', '/suppressions')).body).toEqual({
        suppressions: [expect.objectContaining({ scope: 'all' })],
        nextCursor: null,
      });
      expect((await call(tenant, 'DELETE', '/suppressions/sms/%2B14155550121')).status).toBe(204);
      const gone = await call(tenant, 'DELETE', '/suppressions/sms/%2B14155550121');
      expect(gone.status).toBe(404);
      expect(errorCode(gone.body)).toBe('NOT_FOUND');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['an unknown channel', { channel: 'fax', address: '+14155550100' }, 'channel'],
      ['an email address that is not one', { channel: 'email', address: 'not-an-address' }, 'address'],
      ['a number that is not E.164', { channel: 'sms', address: '0415 555 0100' }, 'address'],
      ['an unknown scope', { channel: 'sms', address: '+14155550100', scope: 'some' }, 'scope'],
      ['an unknown reason', { channel: 'sms', address: '+14155550100', reason: 'because' }, 'reason'],
      ['an unknown field', { channel: 'sms', address: '+14155550100', tenant: 'other' }, 'tenant'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const response = await suppress(nextTenant(), body);
      expect(response.status).toBe(400);
      expect(errorCode(response.body)).toBe('VALIDATION_ERROR');
      expect(JSON.stringify(response.body)).toContain(field);
    });

    it('refuses a malformed cursor, an unknown query key and a bad scope with 400', async () => {
      const tenant = nextTenant();
      for (const path of ['/suppressions?cursor=zz', '/suppressions?tenant=x', '/suppressions?limit=0']) {
        expect((await call(tenant, 'GET', path)).status).toBe(400);
      }
      expect((await call(tenant, 'DELETE', '/suppressions/sms/%2B14155550100?scope=x')).status).toBe(400);
      expect((await call(tenant, 'DELETE', '/suppressions/fax/%2B14155550100')).status).toBe(400);
    });
  });

  describe('SMS and WhatsApp', () => {
    it('refuses a suppressed number with 422 RECIPIENT_SUPPRESSED, sends nothing, and logs the row as suppressed', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'sms', address: '+14155550131' });
      const refused = await call(tenant, 'POST', '/sms', { to: '+14155550131', body: 'Your code is 1234' });
      expect(refused.status).toBe(422);
      expect(refused.body).toEqual({
        error: {
          code: 'RECIPIENT_SUPPRESSED',
          message: expect.any(String) as string,
          details: { channel: 'sms', suppressed: ['+14155550131'] },
        },
      });
      expect(environment.twilio.requestCount('messages')).toBe(0);
      expect(await environment.logs.byRequester(tenant)).toEqual([
        expect.objectContaining({ channel: 'sms', to: '+14155550131', status: 'suppressed', error: expect.objectContaining({ code: 'RECIPIENT_SUPPRESSED' }) as object }),
      ]);
      const logs = await call(tenant, 'GET', '/logs?status=suppressed&to=%2B14155550131');
      expect(logs.body['logs']).toEqual([expect.objectContaining({ status: 'suppressed', category: 'transactional' })]);
    });

    it('keeps channels apart: a WhatsApp suppression refuses WhatsApp, not SMS', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'whatsapp', address: '+14155550141' });
      expect((await call(tenant, 'POST', '/whatsapp', { to: '+14155550141', body: 'hi' })).status).toBe(422);
      expect((await call(tenant, 'POST', '/sms', { to: '+14155550141', body: 'hi' })).status).toBe(200);
      expect(environment.twilio.messageRequests().map((r) => r.fields['To'])).toEqual(['+14155550141']);
    });

    it('refuses marketing for either scope, transactional only for scope all', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'sms', address: '+14155550151', scope: 'marketing' });
      await suppress(tenant, { channel: 'sms', address: '+14155550152', scope: 'all' });
      const send = (to: string, category?: string) => call(tenant, 'POST', '/sms', { to, body: 'hi', ...(category ? { category } : {}) });
      expect((await send('+14155550151')).status).toBe(200);
      expect((await send('+14155550151', 'transactional')).status).toBe(200);
      expect((await send('+14155550151', 'marketing')).status).toBe(422);
      expect((await send('+14155550152')).status).toBe(422);
      expect((await send('+14155550152', 'marketing')).status).toBe(422);
      expect(environment.twilio.requestCount('messages')).toBe(2);
      const rows = await environment.logs.byRequester(tenant);
      expect(rows.map((row) => [row.status, (row as { category?: string }).category])).toEqual([
        ['sent', 'transactional'],
        ['sent', 'transactional'],
        ['suppressed', 'marketing'],
        ['suppressed', 'transactional'],
        ['suppressed', 'marketing'],
      ]);
      expect((await send('+14155550151', 'newsletter')).status).toBe(400);
    });

    it('puts a number Twilio refuses with 21610 on the list (scope all, provider_rejected); the next send is refused here', async () => {
      const tenant = nextTenant();
      environment.twilio.failNext(faults.unsubscribed());
      const rejected = await call(tenant, 'POST', '/sms', { to: '+14155550161', body: 'hi' });
      expect(rejected.status).toBe(500);
      expect(rejected.body).toMatchObject({ error: { code: 'SEND_FAILED', details: { providerCode: 21610 } } });
      expect((await call(tenant, 'GET', '/suppressions')).body).toEqual({
        suppressions: [expect.objectContaining({ channel: 'sms', address: '+14155550161', scope: 'all', reason: 'provider_rejected', source: 'provider' })],
        nextCursor: null,
      });
      expect((await call(tenant, 'POST', '/sms', { to: '+14155550161', body: 'hi' })).status).toBe(422);
      expect(environment.twilio.requestCount('messages')).toBe(1);
    });
  });

  describe('email', () => {
    it('leaves out one suppressed recipient of three and lists it in `suppressed`', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'email', address: 'bob@example.com' });
      const sent = await call(tenant, 'POST', '/email', {
        to: ['ann@example.com', 'Bob@Example.com'],
        cc: 'cy@example.com',
        subject: 'Hello',
        body: '<p>hi</p>',
      });
      expect(sent.status).toBe(200);
      expect(sent.body).toMatchObject({ status: 'sent', to: ['ann@example.com', 'Bob@Example.com'], suppressed: ['Bob@Example.com'] });
      const [mail] = await environment.sink.waitForMessages(1);
      expect(mail?.envelope.to.sort()).toEqual(['ann@example.com', 'cy@example.com']);
      expect(mail?.raw).not.toContain('Bob@Example.com');
      const [row] = await environment.logs.byRequester(tenant);
      expect(row).toMatchObject({ status: 'sent', suppressed: ['Bob@Example.com'] });
    });

    it('answers 422 when no recipient is left, and sends nothing', async () => {
      const tenant = nextTenant();
      await suppress(tenant, { channel: 'email', address: 'dee@example.com', scope: 'marketing' });
      const refused = await call(tenant, 'POST', '/email', { to: 'dee@example.com', subject: 'Sale', body: '<p>50% off</p>', category: 'marketing' });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: { code: 'RECIPIENT_SUPPRESSED', details: { channel: 'email', suppressed: ['dee@example.com'] } } });
      const receipt = await call(tenant, 'POST', '/email/template', {
        template: 'password-reset',
        to: 'dee@example.com',
        data: { appName: 'Acme', name: 'Dee', resetUrl: 'https://example.com/reset', expiresInMinutes: 30 },
      });
      expect(receipt.status).toBe(200);
      expect(environment.sink.messages).toHaveLength(1);
    });
  });
});
