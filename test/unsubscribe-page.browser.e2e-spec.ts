import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RunningApp } from './helpers/app-process.js';
import { accessibilityProblems } from './helpers/axe.js';
import { browserHarness, xssPayload } from './helpers/browser.js';
import { request } from './helpers/http.js';
import { unusedPort } from './helpers/smtp-sink.js';
import { testEnvironment } from './helpers/test-environment.js';
import { bearer } from './helpers/tokens.js';

const UNSUBSCRIBE_SECRET = 'unsubscribe-secret-0123456789abcdef0123';
/** Two small pages can meet axe's whole bar, not only the serious and critical part the console must meet. */
const ALL_IMPACTS = ['minor', 'moderate', 'serious', 'critical'] as const;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The one-click unsubscribe page (src/messaging/consent/) in a real Chromium: the link of a real marketing
 * mail, the button, the suppression; axe and the page's CSP. Also proves the browser harness itself sees
 * what it must (a script that ran, an inaccessible page), so a quiet harness cannot pass these tests.
 */
describe('the unsubscribe page in a real browser', () => {
  const environment = testEnvironment({ name: 'unsubscribe-browser', smtp: true });
  const browser = browserHarness();
  let app: RunningApp;

  beforeAll(async () => {
    // The link in the mail must point at this app, so the app's port is chosen before it starts.
    const port = await unusedPort();
    app = await environment.startApp({ PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, UNSUBSCRIBE_SECRET });
  });

  /** Sends a marketing mail to `to` and returns the link of its List-Unsubscribe header, as a mail client shows it. */
  async function marketingLink(tenant: string, to: string): Promise<string> {
    const sent = await request(`${app.url}/messaging/email`, {
      headers: bearer({ sub: tenant }),
      body: { to, subject: 'Autumn sale', body: '<p>50% off</p>', category: 'marketing' },
    });
    expect(sent.status).toBe(200);
    const raw = (await environment.sink.waitForMessages(1)).at(-1)?.raw ?? ''; // the sink is emptied after each test
    const header = /^List-Unsubscribe:(.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r\n[ \t]+/g, '').trim() ?? '';
    const link = /^<(http:\/\/127\.0\.0\.1:\d+\/messaging\/unsubscribe\/[A-Za-z0-9_.-]+)>$/.exec(header)?.[1];
    expect(link?.startsWith(app.url)).toBe(true);
    return String(link);
  }

  const suppressions = async (tenant: string) =>
    (await request<{ suppressions: unknown[] }>(`${app.url}/messaging/suppressions`, { headers: bearer({ sub: tenant }) })).body.suppressions;

  it('opens the link of a marketing mail, unsubscribes with the button, and the suppression is recorded', async () => {
    const link = await marketingLink('browser-a', 'Ann@Example.com');
    const watched = await browser.newPage();
    const { page } = watched;

    expect((await page.goto(link))?.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Unsubscribe');
    expect(await page.locator('body').textContent()).toContain('ann@example.com');
    expect(PNG_SIGNATURE.equals(readFileSync(await watched.screenshot('unsubscribe-confirm')).subarray(0, 8))).toBe(true);
    expect(await accessibilityProblems(page, { impacts: ALL_IMPACTS })).toEqual([]);
    expect(await suppressions('browser-a')).toEqual([]); // opening the page never unsubscribes

    const [answer] = await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: 'Unsubscribe' }).click(),
    ]);
    expect(answer.status()).toBe(200);
    await page.waitForLoadState();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Unsubscribed');
    await watched.screenshot('unsubscribe-done');
    expect(await accessibilityProblems(page, { impacts: ALL_IMPACTS })).toEqual([]);
    expect(await suppressions('browser-a')).toEqual([
      expect.objectContaining({ channel: 'email', address: 'ann@example.com', scope: 'marketing', source: 'unsubscribe_link' }),
    ]);

    expect(watched.consoleErrors).toEqual([]);
    expect(watched.pageErrors).toEqual([]);
    expect(await watched.cspViolations()).toEqual([]);
  });

  it("keeps to its CSP: injected inline script, an inline handler and a foreign image are refused", async () => {
    const watched = await browser.newPage();
    await watched.page.goto(await marketingLink('browser-b', 'bob@example.com'));
    // What an injection that slipped past the escaping would add to the page.
    await watched.page.evaluate(INJECT);
    // The handler's violation comes last: after its image (src=x) was refused.
    await watched.page.waitForFunction("window.__cspViolations.some((v) => v.directive === 'script-src-attr')");

    expect(await watched.scriptEvidence()).toEqual([]);
    const directives = new Set((await watched.cspViolations()).map((violation) => violation.directive));
    expect([...directives].sort()).toEqual(['img-src', 'script-src-attr', 'script-src-elem']);
    // Chromium says so in the console too (its wording changes between versions).
    expect(watched.consoleErrors.join('\n')).toMatch(/inline script .*Content Security Policy/);
  });

  it('sees script that runs and an inaccessible page, on a page without a CSP', async () => {
    const watched = await browser.newPage();
    await watched.page.setContent('<!doctype html><html lang="en"><head><title>Probe</title></head><body><main><button></button></main></body></html>');
    expect(await accessibilityProblems(watched.page)).toEqual([
      expect.stringMatching(/^button-name \(critical\): Buttons must have discernible text .*\n {4}at button: <button><\/button>/),
    ]);

    await watched.page.evaluate(INJECT);
    await watched.page.waitForFunction('(window.__xss || []).length >= 2');
    expect((await watched.scriptEvidence()).sort()).toEqual([
      'dialog alert: handler',
      'window.__xss: handler',
      'window.__xss: inline-script',
    ]);
  });

  it('fails the browser specs with how to install Chromium when it cannot be obtained', () => {
    const emptyPath = mkdtempSync(path.join(tmpdir(), 'fluxkit-no-chromium-'));
    try {
      // The browser project's global setup on a machine with no chromium on PATH and apt-get switched off.
      const setup = spawnSync(
        process.execPath,
        ['-e', "require('./test/setup/browser-setup.cjs')().then(() => console.log(JSON.stringify(process.env.FLUXKIT_CHROMIUM_ERROR)))"],
        { env: { PATH: emptyPath, FLUXKIT_NO_APT: '1' }, encoding: 'utf8' },
      );
      expect(setup.status).toBe(0);
      const handedOver = JSON.parse(setup.stdout) as string;
      expect(handedOver).toContain('Could not obtain Chromium for the browser specs');
      expect(handedOver).toContain('apt-get skipped: FLUXKIT_NO_APT=1');
      expect(handedOver).toContain("Install Debian's chromium (`apt-get install chromium`, as root), or set FLUXKIT_CHROMIUM");
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });
});

/** Adds an inline script, markup with an inline event handler (xssPayload), and an image from elsewhere. */
const INJECT = `(() => {
  const script = document.createElement('script');
  script.textContent = "(window.__xss = window.__xss || []).push('inline-script')";
  document.body.append(script);
  const holder = document.createElement('div');
  holder.innerHTML = ${JSON.stringify(xssPayload('handler'))};
  document.body.append(holder);
  const image = document.createElement('img');
  image.src = 'https://elsewhere.example/pixel.png';
  document.body.append(image);
})()`;
