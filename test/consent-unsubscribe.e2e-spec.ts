import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const PUBLIC_BASE_URL = 'https://messaging.example.test';
const UNSUBSCRIBE_SECRET = 'unsubscribe-secret-0123456789abcdef0123';
const LINK = /^<https:\/\/messaging\.example\.test\/messaging\/unsubscribe\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)>$/;

/** One-click unsubscribe (RFC 8058): the headers on marketing mail, the link's GET and POST. */
describe('consent: one-click email unsubscribe', () => {
  const environment = testEnvironment({ name: 'consent-unsubscribe', smtp: true });
  let app: RunningApp;

  beforeAll(async () => {
    app = await environment.startApp({ PUBLIC_BASE_URL, UNSUBSCRIBE_SECRET });
  });

  const send = (tenant: string, body: Record<string, unknown>) => request(`${app.url}/messaging/email`, { headers: bearer({ sub: tenant }), body });
  /** The link of the next mail the sink receives (the path under the app's own address). */
  async function linkOfNextMail(count: number): Promise<{ path: string; raw: string }> {
    const mail = (await environment.sink.waitForMessages(count)).at(-1);
    // The raw header (mailparser turns List-* headers into objects), unfolded.
    const header = /^List-Unsubscribe:(.*(?:\r\n[ \t].*)*)/m.exec(mail?.raw ?? '')?.[1]?.replace(/\r\n[ \t]+/g, '').trim() ?? '';
    const token = LINK.exec(header)?.[1];
    expect(token).toBeDefined();
    return { path: `/messaging/unsubscribe/${String(token)}`, raw: mail?.raw ?? '' };
  }
  /** A POST as a mail provider sends it: form body, no credentials. */
  const oneClick = (path: string, body = 'List-Unsubscribe=One-Click') =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });

  it('puts both headers on marketing mail only; the provider POST unsubscribes; marketing is then refused, transactional not', async () => {
    expect((await send('unsub-a', { to: 'gus@example.com', subject: 'Receipt', body: '<p>paid</p>' })).status).toBe(200);
    const [receipt] = await environment.sink.waitForMessages(1);
    expect(receipt?.raw).not.toMatch(/^List-Unsubscribe/im);

    expect((await send('unsub-a', { to: 'Gus@Example.com', subject: 'Sale', body: '<p>50% off</p>', category: 'marketing' })).status).toBe(200);
    const { path, raw } = await linkOfNextMail(2);
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);

    const response = await oneClick(path);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('gus@example.com');
    const list = await request<{ suppressions: unknown[] }>(`${app.url}/messaging/suppressions`, { headers: bearer({ sub: 'unsub-a' }) });
    expect(list.body.suppressions).toEqual([
      expect.objectContaining({ channel: 'email', address: 'gus@example.com', scope: 'marketing', reason: 'unsubscribed', source: 'unsubscribe_link' }),
    ]);
    expect((await send('unsub-a', { to: 'gus@example.com', subject: 'Sale 2', body: '<p>60% off</p>', category: 'marketing' })).status).toBe(422);
    expect((await send('unsub-a', { to: 'gus@example.com', subject: 'Receipt 2', body: '<p>paid</p>' })).status).toBe(200);
    // Only for the tenant whose mail carried the link.
    expect((await send('unsub-b', { to: 'gus@example.com', subject: 'Sale', body: '<p>hi</p>', category: 'marketing' })).status).toBe(200);
  });

  it('GET shows an escaped page with a button that POSTs, and never unsubscribes', async () => {
    expect((await send('unsub-c', { to: 'hal@example.com', subject: 'News', body: '<p>news</p>', category: 'marketing' })).status).toBe(200);
    const { path } = await linkOfNextMail(1);
    for (let i = 0; i < 3; i++) {
      const page = await fetch(`${app.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
      const html = await page.text();
      expect(html).toContain('<form method="post">');
      expect(html).toContain('name="List-Unsubscribe" value="One-Click"');
      expect(html).not.toContain('<script');
    }
    const list = await request<{ suppressions: unknown[] }>(`${app.url}/messaging/suppressions`, { headers: bearer({ sub: 'unsub-c' }) });
    expect(list.body.suppressions).toEqual([]);
    expect((await send('unsub-c', { to: 'hal@example.com', subject: 'News 2', body: '<p>news</p>', category: 'marketing' })).status).toBe(200);
  });

  it('refuses a forged or garbled token with 400 and changes nothing; a POST without the RFC 8058 body too', async () => {
    expect((await send('unsub-d', { to: 'ida@example.com', subject: 'News', body: '<p>news</p>', category: 'marketing' })).status).toBe(200);
    const { path } = await linkOfNextMail(1);
    const [payload = '', mac = ''] = path.split('/').at(-1)?.split('.') ?? [];
    const forgedPayload = Buffer.from(JSON.stringify({ t: 'unsub-d', a: 'joe@example.com', s: 'marketing' })).toString('base64url');
    const flipped = `${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const bad of [`${forgedPayload}.${mac}`, `${payload}.${flipped}`, 'garbled', `${payload}`]) {
      const response = await oneClick(`/messaging/unsubscribe/${bad}`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_ERROR' } });
      expect((await fetch(`${app.url}/messaging/unsubscribe/${bad}`)).status).toBe(400);
    }
    expect((await oneClick(path, 'List-Unsubscribe=Other')).status).toBe(400);
    const list = await request<{ suppressions: unknown[] }>(`${app.url}/messaging/suppressions`, { headers: bearer({ sub: 'unsub-d' }) });
    expect(list.body.suppressions).toEqual([]);
  });
});
