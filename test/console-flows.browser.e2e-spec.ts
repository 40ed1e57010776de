import type { Page } from 'playwright-core';
import type { RunningApp } from './helpers/app-process.js';
import { accessibilityProblems } from './helpers/axe.js';
import { browserHarness, type WatchedPage } from './helpers/browser.js';
import { request } from './helpers/http.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer, signToken } from './helpers/tokens.js';

/**
 * A bound against a hang, not a performance claim: each flow takes 2-10 s on a quiet machine, and several
 * times that on a loaded one (2 cores shared by the app, Chromium, FerretDB and other runs).
 */
const FLOW_TIMEOUT_MS = 120_000;

/**
 * The operations console (docs/console.md) in a real Chromium, against the built app, its database, the
 * SMTP sink, the Twilio-compatible server and Redis: signing in (pasted token, the link's fragment, a 401),
 * a test send from the template page showing up in Activity, filters in the URL, a message's page and the
 * cancellation of a scheduled one. Every page visited is checked with axe and saved as a screenshot.
 */
describe('operations console in a browser: the flows', () => {
  const environment = testEnvironment({ name: 'console-flows', smtp: true, twilio: true, redis: true });
  const browser = browserHarness();
  let app: RunningApp;
  beforeAll(async () => {
    app = await environment.startApp({});
  });

  const consoleUrl = () => `${app.url}/messaging/console`;

  /** The page has what a person needs (no serious or critical axe finding), and nothing it did was refused. */
  async function checkPage(watched: WatchedPage, screenshot: string): Promise<void> {
    expect(await accessibilityProblems(watched.page)).toEqual([]);
    expect(await watched.cspViolations()).toEqual([]);
    expect(watched.pageErrors).toEqual([]);
    await watched.screenshot(`console-${screenshot}`);
  }

  async function signInByForm(page: Page, token: string): Promise<void> {
    await page.goto(consoleUrl());
    await page.getByLabel('Bearer token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
  }

  it('signs in with a pasted token, sends a test from the template page, and shows the row in Activity', async () => {
    const watched = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { page } = watched;
    await page.goto(consoleUrl());
    await checkPage(watched, 'sign-in');
    await signInByForm(page, signToken({ sub: 'console-flows' }));

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Templates' }).click();
    await page.getByRole('heading', { level: 1, name: 'Templates' }).waitFor();
    await page.getByRole('link', { name: 'welcome', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Template welcome' }).waitFor();
    // Focus follows navigation: the new page's heading has it.
    expect(await page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe('Template welcome');

    await page.getByLabel('name (required)', { exact: true }).fill('Ada Lovelace');
    await page.getByLabel('appName (required)', { exact: true }).fill('Console Test');
    const preview = page.frameLocator('iframe[title="HTML version"]');
    await preview.getByText('Ada Lovelace', { exact: false }).first().waitFor();
    await page.locator('pre.text-version').getByText('Ada Lovelace', { exact: false }).waitFor();
    await checkPage(watched, 'template');

    await page.getByLabel('Email address').fill('console-test@example.com');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByRole('status').getByText('Sent: sent.').waitFor();
    expect(environment.sink.messages.map((mail) => mail.envelope.to)).toEqual([['console-test@example.com']]);

    // From the bottom of a long page: scrolled up first, as a person would (a click issued while Chromium
    // still scrolls was seen to land without navigating on a loaded machine).
    const activity = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' });
    await activity.scrollIntoViewIfNeeded();
    await activity.click();
    await page.waitForURL(/#\/activity$/);
    const row = page.getByRole('row').filter({ hasText: 'console-test@example.com' });
    await row.waitFor();
    expect(await row.textContent()).toMatch(/email.*console-test@example\.com.*sent.*smtp/);
    await checkPage(watched, 'activity');
  }, FLOW_TIMEOUT_MS);

  it('takes the token from the link fragment, keeps filters in the URL, opens a message and cancels it', async () => {
    const scheduled = await request<{ messageId: string }>(`${app.url}/messaging/email`, {
      headers: bearer({ sub: 'console-flows' }),
      body: {
        to: 'later@example.com',
        subject: 'Scheduled from the console spec',
        body: '<p>Later</p>',
        sendAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(scheduled.status).toBe(202);
    expect((await request(`${app.url}/messaging/sms`, { headers: bearer(), body: { to: '+14155550100', body: 'Now' } })).status).toBe(200);

    const watched = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { page } = watched;
    const token = signToken({ sub: 'console-flows' });
    await page.goto(`${consoleUrl()}#token=${token}`);
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
    // The token left the address bar (and the history entry) at once, into this tab's sessionStorage only.
    expect(page.url()).toBe(`${consoleUrl()}#/activity`);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(1);
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);

    await page.getByLabel('Status').selectOption('scheduled');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/#\/activity\?status=scheduled$/);
    const rows = page.locator('tbody tr');
    // The count of the filtered list (the unfiltered one holds the SMS too).
    await page.getByText('1 message', { exact: true }).waitFor();
    expect(await rows.filter({ hasText: 'later@example.com' }).count()).toBe(1);
    // The filter is in the URL: a reload (or a shared link) shows the same list.
    await page.reload();
    await page.getByText('1 message', { exact: true }).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('scheduled');
    expect(await rows.filter({ hasText: 'later@example.com' }).count()).toBe(1);

    await rows.first().getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: 'Message' }).waitFor();
    await page.getByText('Scheduled from the console spec').waitFor();
    await checkPage(watched, 'message');
    await page.getByRole('button', { name: 'Cancel this message' }).click();
    await page.getByRole('status').getByText('Cancelled.').waitFor();
    await page.locator('.fields').getByText('cancelled', { exact: true }).waitFor();
    const row = await request<{ status: string }>(`${app.url}/messaging/logs/${scheduled.body.messageId}`, { headers: bearer() });
    expect(row.body.status).toBe('cancelled');
  }, FLOW_TIMEOUT_MS);

  it('returns to the token form with the API message when the API answers 401', async () => {
    const expired = signToken({ sub: 'console-flows', expiresInSeconds: -60 });
    const api = await request<{ error: { message: string } }>(`${app.url}/messaging/logs`, {
      headers: { authorization: `Bearer ${expired}` },
    });
    expect(api.status).toBe(401);

    const watched = await browser.newPage();
    const { page } = watched;
    await page.goto(`${consoleUrl()}#token=${expired}`);
    await page.getByRole('alert').getByText(`Signed out: ${api.body.error.message}`).waitFor();
    await page.getByLabel('Bearer token').waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
  }, FLOW_TIMEOUT_MS);

  it('shows health and the suppression list, where an entry can be added and removed', async () => {
    const watched = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const { page } = watched;
    await signInByForm(page, signToken({ sub: 'console-flows' }));

    await page.getByRole('link', { name: 'Health' }).click();
    await page.getByRole('heading', { level: 1, name: 'Health' }).waitFor();
    const providers = page.locator('table', { has: page.locator('caption', { hasText: 'Providers' }) });
    await providers.getByRole('row').filter({ hasText: 'email' }).getByText('connected', { exact: true }).waitFor();
    await page.getByRole('row').filter({ hasText: 'Queue' }).getByText('connected').waitFor();
    await checkPage(watched, 'health');

    await page.getByRole('link', { name: 'Suppressions' }).click();
    await page.getByRole('heading', { level: 1, name: 'Suppressions' }).waitFor();
    await page.getByLabel('Address or number').fill('blocked@example.com');
    await page.getByRole('button', { name: 'Add' }).click();
    const entry = page.getByRole('row').filter({ hasText: 'blocked@example.com' });
    await entry.waitFor();
    await checkPage(watched, 'suppressions');
    await entry.getByRole('button', { name: /^Remove blocked@example\.com/ }).click();
    await page.getByRole('status').getByText('Removed blocked@example.com (email, all).').waitFor();
    await entry.waitFor({ state: 'detached' });
  }, FLOW_TIMEOUT_MS);
});
