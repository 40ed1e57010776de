import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import type { RunningApp } from './helpers/app-process.js';
import { browserHarness, xssPayload, type WatchedPage } from './helpers/browser.js';
import { faults } from './helpers/fake-twilio.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer, signToken } from './helpers/tokens.js';

/**
 * A bound against a hang, not a performance claim: each test takes about 5 s on a quiet machine, and several
 * times that on a loaded one (2 cores shared by the app, Chromium, FerretDB and other runs).
 */
const FLOW_TIMEOUT_MS = 120_000;

/**
 * The console shows what others wrote: recipients, subjects, provider errors, template data. Each of them
 * carries markup that records itself and opens an alert if a page ever runs it; none may run, none may even
 * become an element (the CSP would block the handler, so "no alert" alone would not prove escaping), and
 * the preview frame runs no script of the mail it shows.
 */
describe('operations console in a browser: hostile data', () => {
  const templatesDir = mkdtempSync(path.join(tmpdir(), 'console-templates-'));
  const environment = testEnvironment({ name: 'console-security', smtp: true, twilio: true });
  const browser = browserHarness();
  let app: RunningApp;
  let hostileRowId = '';

  beforeAll(async () => {
    // The shipped templates, and one whose own HTML tries to script its way out of the preview frame.
    cpSync(path.join(process.cwd(), 'templates'), templatesDir, { recursive: true });
    mkdirSync(path.join(templatesDir, 'probe'));
    writeFileSync(
      path.join(templatesDir, 'probe', 'template.json'),
      JSON.stringify({ description: 'Tries to run script in the preview', subject: 'Probe {{label}}', variables: { label: { type: 'string', required: true }, appName: { type: 'string', required: false } } }),
    );
    writeFileSync(
      path.join(templatesDir, 'probe', 'html.hbs'),
      '<p>Probe {{label}}</p><script>parent.document.body.dataset.escaped = "script"; alert("frame-script")</script>' +
        '<img src="x" onerror="parent.document.body.dataset.escaped = \'onerror\'; alert(\'frame-onerror\')">',
    );
    // A row written by a host's own code through the exported services skips the API's field rules: every
    // field the console displays holds markup.
    const connection = await mongoose.createConnection(environment.databaseUri).asPromise();
    const now = new Date();
    const inserted = await connection.collection('message_logs').insertOne({
      channel: 'sms',
      to: [xssPayload('to')],
      subject: xssPayload('subject'),
      template: xssPayload('template'),
      status: 'failed',
      provider: xssPayload('provider'),
      messageId: xssPayload('messageId'),
      error: { code: 'SEND_FAILED', message: xssPayload('error') },
      attempts: [{ provider: xssPayload('attempt-provider'), at: now, outcome: 'failed', error: { code: 'SEND_FAILED', message: xssPayload('attempt-error') } }],
      events: [{ status: 'undelivered', providerStatus: xssPayload('event'), at: now, errorCode: xssPayload('event-code') }],
      createdAt: now,
      updatedAt: now,
    });
    hostileRowId = inserted.insertedId.toHexString();
    await connection.close();
    app = await environment.startApp({ TEMPLATES_DIR: templatesDir, TWILIO_MAX_RETRIES: '0' });
  });
  afterAll(() => rmSync(templatesDir, { recursive: true, force: true }));

  /** Nothing ran, nothing became markup, nothing was refused by the policy (which an injected handler would be). */
  async function expectNothingRan(watched: WatchedPage): Promise<void> {
    expect(await watched.scriptEvidence()).toEqual([]);
    expect(await watched.page.locator('img[src="x"]').count()).toBe(0);
    expect(await watched.cspViolations()).toEqual([]);
    expect(await watched.page.evaluate<string | null>('document.body.dataset.escaped ?? null')).toBeNull();
  }

  it('shows markup in recipients, subjects, providers, errors and receipts as text, on every page', async () => {
    // Through the API too: a subject as the client sent it, a provider error as Twilio worded it.
    const email = await request(`${app.url}/messaging/email`, {
      headers: bearer(),
      body: { to: 'probe@example.com', subject: xssPayload('api-subject'), body: '<p>probe</p>' },
    });
    expect(email.status).toBe(200);
    environment.twilio.failNext(faults.rejection(21211, xssPayload('twilio-error')));
    expect((await request(`${app.url}/messaging/sms`, { headers: bearer(), body: { to: '+14155550199', body: 'x' } })).status).toBe(500);

    const watched = await browser.newPage();
    const { page } = watched;
    await page.goto(`${app.url}/messaging/console#token=${signToken()}`);
    await page.getByRole('row').filter({ hasText: 'probe@example.com' }).waitFor();
    await expectNothingRan(watched);
    const table = (await page.locator('tbody').textContent()) ?? '';
    for (const label of ['api-subject', 'subject', 'to', 'provider']) expect(table).toContain(xssPayload(label));

    // The recipient filter echoes what was typed (and what a shared link says) as the field's value.
    await page.goto(`${app.url}/messaging/console#/activity?to=${encodeURIComponent(xssPayload('filter'))}`);
    await page.getByText('0 messages').waitFor();
    expect(await page.getByLabel('Recipient').inputValue()).toBe(xssPayload('filter'));
    await expectNothingRan(watched);

    await page.goto(`${app.url}/messaging/console#/messages/${hostileRowId}`);
    for (const label of ['to', 'provider', 'error', 'attempt-error', 'event']) {
      await page.getByText(xssPayload(label), { exact: false }).first().waitFor();
    }
    await expectNothingRan(watched);

    const failed = page.getByRole('row').filter({ hasText: 'twilio' });
    await page.goto(`${app.url}/messaging/console#/health`);
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    await failed.getByText(xssPayload('twilio-error'), { exact: false }).first().waitFor();
    await expectNothingRan(watched);
  }, FLOW_TIMEOUT_MS);

  it('renders template data as text and runs no script of the mail in the preview frame', async () => {
    const watched = await browser.newPage();
    const { page } = watched;
    await page.goto(`${app.url}/messaging/console#token=${signToken()}`);
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();

    await page.goto(`${app.url}/messaging/console#/templates/welcome`);
    await page.getByLabel('name (required)', { exact: true }).fill(xssPayload('variable-name'));
    await page.getByLabel('appName (required)', { exact: true }).fill(xssPayload('variable-app'));
    // The text version gets the values as they are (it is not HTML): shown as text all the same.
    await page.locator('pre.text-version').getByText(xssPayload('variable-name'), { exact: false }).waitFor();
    await page.getByText(`Subject: Welcome to ${xssPayload('variable-app')}`, { exact: false }).waitFor();
    await expectNothingRan(watched);

    await page.goto(`${app.url}/messaging/console#/templates/probe`);
    await page.getByLabel('label (required)', { exact: true }).fill('one');
    await page.getByLabel('appName', { exact: true }).fill('Probe app');
    const frame = page.frameLocator('iframe[title="HTML version"]');
    await frame.getByText('Probe one').waitFor();
    expect(await page.locator('iframe[title="HTML version"]').getAttribute('sandbox')).toBe('');
    await expectNothingRan(watched);
  }, FLOW_TIMEOUT_MS);
});
