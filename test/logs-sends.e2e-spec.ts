import type { RunningApp } from './helpers/app-process.js';
import { testEnvironment } from './helpers/test-environment.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { bearer } from './helpers/tokens.js';

interface LogView {
  _id: string;
  channel: string;
  to: string | string[];
  subject?: string;
  template?: string;
  status: string;
  messageId?: string;
  provider: string;
  error?: { code: string; message: string; providerCode?: string };
  createdAt: string;
  updatedAt: string;
}

interface LogsPage {
  logs: LogView[];
  total: number;
}

/**
 * The write path and the read path together: every send attempt that
 * reaches a provider leaves exactly one row, readable through
 * GET /messaging/logs with the outcome the client was told, provider retries
 * included; a request refused before sending leaves none.
 */
describe('GET /messaging/logs after real sends', () => {
  const environment = testEnvironment({ name: 'logs_sends', smtp: true, twilio: true });
  let app: RunningApp;
  const client = 'logs-sends-client';

  const post = (path: string, body: unknown) => request<{ messageId?: string }>(`${app.url}${path}`, { headers: bearer({ sub: client }), body });
  const list = (query: string) => request<LogsPage>(`${app.url}/messaging/logs?${query}`, { headers: bearer() });

  beforeAll(async () => {
    app = await environment.startApp({
      EMAIL_FROM: 'FluxKit <no-reply@example.com>',
      TWILIO_WHATSAPP_FROM: '+14155238886',
      TWILIO_TIMEOUT_MS: '2000',
      TWILIO_MAX_RETRIES: '2',
      TWILIO_RETRY_BACKOFF_MS: '10',
    });
  });

  it('shows one row per attempt, with the status, ids and errors the clients saw', async () => {
    const email = await post('/messaging/email', { to: 'alice@example.com', subject: 'Hello', body: '<p>Hi</p>' });
    const template = await post('/messaging/email/template', {
      to: ['bob@example.com', 'carol@example.com'],
      template: 'welcome',
      data: { name: 'Bob', appName: 'My App' },
    });
    environment.sink.rejectRecipient('gone@example.com', 550);
    const refusedEmail = await post('/messaging/email', { to: 'gone@example.com', subject: 'Bounce', body: '<p>x</p>' });
    const sms = await post('/messaging/sms', { to: '+15550000001', body: 'code 1234' });
    environment.twilio.failNext(faults.serverError(), { times: 3 }); // the first try and both retries
    const failedSms = await post('/messaging/sms', { to: '+15550000002', body: 'code 5678' });
    const whatsapp = await post('/messaging/whatsapp', { to: '+15550000003', body: 'shipped' });
    const invalid = await post('/messaging/sms', { to: 'not-a-number', body: 'x' });

    expect([email, template, refusedEmail, sms, failedSms, whatsapp, invalid].map((r) => r.status)).toEqual([
      200, 200, 500, 200, 500, 200, 400,
    ]);

    const { body } = await list('limit=100');
    expect(body.total).toBe(6);
    const byRecipient = (to: string) => body.logs.filter((log) => [log.to].flat().includes(to));
    for (const to of ['alice@example.com', 'bob@example.com', 'gone@example.com', '+15550000001', '+15550000002', '+15550000003']) {
      expect(byRecipient(to)).toHaveLength(1);
    }
    expect(byRecipient('alice@example.com')[0]).toMatchObject({
      channel: 'email', to: 'alice@example.com', subject: 'Hello', status: 'sent', messageId: email.body.messageId, provider: 'smtp',
    });
    expect(byRecipient('bob@example.com')[0]).toMatchObject({
      channel: 'email', to: ['bob@example.com', 'carol@example.com'], template: 'welcome', status: 'sent', messageId: template.body.messageId,
    });
    expect(byRecipient('gone@example.com')[0]).toMatchObject({ status: 'failed', error: { code: 'SEND_FAILED', providerCode: '550' } });
    expect(byRecipient('gone@example.com')[0]).not.toHaveProperty('messageId');
    expect(byRecipient('+15550000001')[0]).toMatchObject({ channel: 'sms', status: 'sent', messageId: sms.body.messageId, provider: 'twilio' });
    expect(byRecipient('+15550000002')[0]).toMatchObject({ channel: 'sms', status: 'failed', error: { code: 'SEND_FAILED' } });
    expect(byRecipient('+15550000003')[0]).toMatchObject({ channel: 'whatsapp', status: 'sent', messageId: whatsapp.body.messageId });
    expect(body.logs.some((log) => log.status === 'pending')).toBe(false);
  });

  it('finds those rows through the filters', async () => {
    expect((await list('status=failed')).body.total).toBe(2);
    expect((await list('channel=email&status=sent')).body.total).toBe(2);
    expect((await list('template=welcome')).body.logs.map((log) => log.to)).toEqual([['bob@example.com', 'carol@example.com']]);
    expect((await list('to=carol%40example.com')).body.total).toBe(1);
    expect((await list(`since=${new Date(Date.now() - 60_000).toISOString()}`)).body.total).toBe(6);
    expect((await list(`until=${new Date(Date.now() - 60_000).toISOString()}`)).body.total).toBe(0);
  });
});
