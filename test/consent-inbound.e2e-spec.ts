import twilio from 'twilio';
import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const PUBLIC_BASE_URL = 'https://messaging.example.test';
const INBOUND_URL = `${PUBLIC_BASE_URL}/messaging/webhooks/twilio/inbound`;
const OUR_NUMBER = '+15005550006';

/** Twilio's inbound webhook: STOP/START keywords, replies as log rows (docs/consent.md). */
describe('consent: inbound messages (POST /messaging/webhooks/twilio/inbound)', () => {
  const environment = testEnvironment({ name: 'consent-inbound', twilio: true });
  let app: RunningApp;
  let messages = 0;

  beforeAll(async () => {
    app = await environment.startApp({ PUBLIC_BASE_URL });
  });

  /** Posts an inbound message the way Twilio does: form-encoded, signed for the public URL. */
  async function inbound(from: string, body: string, options: { signature?: string } = {}) {
    const params = { AccountSid: environment.twilio.accountSid, MessageSid: `SM${String(++messages).padStart(32, '0')}`, From: from, To: OUR_NUMBER, Body: body };
    const signature = options.signature ?? twilio.getExpectedTwilioSignature(environment.twilio.authToken, INBOUND_URL, params);
    const response = await fetch(`${app.url}/messaging/webhooks/twilio/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
      body: new URLSearchParams(params).toString(),
    });
    return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text(), sid: params.MessageSid };
  }
  const sms = (tenant: string, to: string) => request(`${app.url}/messaging/sms`, { headers: bearer({ sub: tenant }), body: { to, body: 'Your code is 1234' } });
  const whatsapp = (tenant: string, to: string) => request(`${app.url}/messaging/whatsapp`, { headers: bearer({ sub: tenant }), body: { to, body: 'hi' } });
  const list = (tenant: string) => request<{ suppressions: Record<string, unknown>[] }>(`${app.url}/messaging/suppressions`, { headers: bearer({ sub: tenant }) });

  it('signed STOP refuses the next send (any tenant), START lets it through again', async () => {
    const answer = await inbound('+14155550201', '  stop ');
    expect(answer).toMatchObject({ status: 200, text: '<?xml version="1.0" encoding="UTF-8"?><Response/>' });
    expect(answer.contentType).toContain('text/xml');
    for (const tenant of ['inbound-a', 'inbound-b']) {
      const refused = await sms(tenant, '+14155550201');
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ error: { code: 'RECIPIENT_SUPPRESSED' } });
    }
    expect(environment.twilio.requestCount('messages')).toBe(0);
    expect((await list('inbound-a')).body.suppressions).toEqual([
      expect.objectContaining({ channel: 'sms', address: '+14155550201', scope: 'all', reason: 'opted_out', source: 'inbound', allTenants: true }),
    ]);
    // Nobody but the recipient lifts their STOP.
    expect((await request(`${app.url}/messaging/suppressions/sms/%2B14155550201`, { method: 'DELETE', headers: bearer({ sub: 'inbound-a' }) })).status).toBe(404);

    expect((await inbound('+14155550201', 'Start')).status).toBe(200);
    expect((await sms('inbound-a', '+14155550201')).status).toBe(200);
    expect(environment.twilio.requestCount('messages')).toBe(1);
  });

  it.each(['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'optout'])('treats %s as STOP', async (keyword) => {
    const number = `+1415555030${['STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'optout'].indexOf(keyword)}`;
    expect((await inbound(number, keyword)).status).toBe(200);
    expect((await sms('inbound-c', number)).status).toBe(422);
    expect((await inbound(number, 'unstop')).status).toBe(200);
    expect((await sms('inbound-c', number)).status).toBe(200);
  });

  it('YES opts back in; WhatsApp senders suppress the whatsapp channel only', async () => {
    expect((await inbound('whatsapp:+14155550211', 'STOP')).status).toBe(200);
    expect((await whatsapp('inbound-d', '+14155550211')).status).toBe(422);
    expect((await sms('inbound-d', '+14155550211')).status).toBe(200);
    expect((await inbound('whatsapp:+14155550211', 'yes')).status).toBe(200);
    expect((await whatsapp('inbound-d', '+14155550211')).status).toBe(200);
  });

  it('records any other message as a received inbound row without its text, visible with ?direction=inbound', async () => {
    const answer = await inbound('+14155550221', 'please stop texting me');
    expect(answer.status).toBe(200);
    expect((await sms('inbound-e', '+14155550221')).status).toBe(200);
    const logs = await request<{ logs: Record<string, unknown>[] }>(`${app.url}/messaging/logs?direction=inbound`, { headers: bearer() });
    const row = logs.body.logs.find((r) => r['messageId'] === answer.sid);
    expect(row).toEqual({
      _id: expect.any(String) as string,
      channel: 'sms',
      to: OUR_NUMBER,
      status: 'received',
      messageId: answer.sid,
      provider: 'twilio',
      direction: 'inbound',
      from: '+14155550221',
      createdAt: expect.any(String) as string,
      updatedAt: expect.any(String) as string,
    });
    expect(JSON.stringify(logs.body)).not.toContain('please stop');
    const outbound = await request<{ logs: Record<string, unknown>[] }>(`${app.url}/messaging/logs?direction=outbound&to=%2B14155550221`, { headers: bearer() });
    expect(outbound.body.logs.map((r) => r['status'])).toEqual(['sent']);
  });

  it('refuses a forged signature with 403 INVALID_SIGNATURE and changes nothing', async () => {
    const forged = await inbound('+14155550231', 'STOP', { signature: 'bm90IGEgc2lnbmF0dXJl' });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.text)).toMatchObject({ error: { code: 'INVALID_SIGNATURE' } });
    expect((await sms('inbound-f', '+14155550231')).status).toBe(200);
  });
});
