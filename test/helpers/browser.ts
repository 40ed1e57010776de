import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Where browser specs leave what a reader looks at after a run (gitignored; CI keeps it as artefacts). */
export const ARTIFACTS_DIR = path.resolve(process.cwd(), 'test-artifacts');
export const SCREENSHOTS_DIR = path.join(ARTIFACTS_DIR, 'screenshots');

/** Launching Chromium takes about a second; the bound is against a hang, not a performance claim. */
const LAUNCH_TIMEOUT_MS = 60_000;

/** A Content-Security-Policy violation the page reported (its `securitypolicyviolation` event). */
export interface CspViolation {
  /** e.g. `script-src-elem`, `img-src` */
  directive: string;
  /** The URL refused, or `inline` / `eval`. */
  blockedURI: string;
}

/** What the watcher leaves on `window`: recorded before any page script runs. */
interface WatchedWindow {
  __xss?: string[];
  __cspViolations?: CspViolation[];
}

/**
 * Runs in every frame before the page's own scripts (Playwright's init scripts are not subject to the page's
 * CSP): records the CSP violations the page reports. Written for the browser, so no Node or DOM types here.
 */
const RECORD_CSP_VIOLATIONS = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push({ directive: event.effectiveDirective, blockedURI: event.blockedURI });
  });
`;

/**
 * An HTML snippet that, if a page ever runs it as markup, records `label` in `window.__xss` and opens an
 * alert: put it in every user-controlled field, then expect `scriptEvidence()` to be empty.
 */
export function xssPayload(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_-]/g, '_');
  return `<img src=x onerror="(window.__xss=window.__xss||[]).push('${safe}');alert('${safe}')">`;
}

/**
 * One page in a fresh browser context (its own cookies and storage), watched from its first script on:
 * console errors, uncaught page errors and dialogs (answered, so nothing blocks) are recorded.
 */
export class WatchedPage {
  /** `console.error` lines, including Chromium's own (a CSP refusal, a failed load). */
  readonly consoleErrors: string[] = [];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: string[] = [];
  /** Dialogs the page opened, as `alert: message`. */
  readonly dialogs: string[] = [];

  constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    page.on('dialog', (dialog) => {
      this.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss().catch(() => undefined);
    });
  }

  /** The CSP violations the current document reported so far. */
  async cspViolations(): Promise<CspViolation[]> {
    return this.page.evaluate(() => (globalThis as unknown as WatchedWindow).__cspViolations ?? []);
  }

  /**
   * Evidence that injected script ran in the current document: the dialogs opened on this page and the labels
   * `xssPayload` recorded. Empty when nothing ran.
   */
  async scriptEvidence(): Promise<string[]> {
    const labels = await this.page.evaluate(() => (globalThis as unknown as WatchedWindow).__xss ?? []);
    return [...this.dialogs.map((dialog) => `dialog ${dialog}`), ...labels.map((label) => `window.__xss: ${label}`)];
  }

  /** Saves a full-page PNG as test-artifacts/screenshots/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    const file = path.join(SCREENSHOTS_DIR, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    return file;
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

/** A headless Chromium for one spec file; see `browserHarness`. */
export class BrowserHarness {
  private launched?: Browser;
  private readonly pages: WatchedPage[] = [];
  /** How long Chromium took to launch, in milliseconds. */
  launchMs = 0;

  get browser(): Browser {
    if (!this.launched) throw new Error('the browser is not launched yet (use it inside a hook or test)');
    return this.launched;
  }

  /** Launches the Chromium the browser project's global setup found (FLUXKIT_CHROMIUM). */
  async launch(): Promise<void> {
    const started = performance.now();
    this.launched = await chromium.launch({ executablePath: chromiumPath(), headless: true, timeout: LAUNCH_TIMEOUT_MS });
    this.launchMs = performance.now() - started;
  }

  /** A watched page in a fresh context; closed after the test that opened it. */
  async newPage(options: BrowserContextOptions = {}): Promise<WatchedPage> {
    const context = await this.browser.newContext(options);
    await context.addInitScript({ content: RECORD_CSP_VIOLATIONS });
    const watched = new WatchedPage(context, await context.newPage());
    this.pages.push(watched);
    return watched;
  }

  async closePages(): Promise<void> {
    await Promise.all(this.pages.splice(0).map((page) => page.close()));
  }

  async close(): Promise<void> {
    await this.closePages();
    await this.launched?.close();
    this.launched = undefined;
  }
}

/**
 * A headless Chromium wired to the enclosing Jest block: launched in beforeAll, the test's pages closed after
 * each test, the browser closed in afterAll.
 *
 *   const browser = browserHarness();
 *   it('...', async () => { const { page } = await browser.newPage(); await page.goto(url); });
 */
export function browserHarness(): BrowserHarness {
  const harness = new BrowserHarness();
  beforeAll(() => harness.launch(), LAUNCH_TIMEOUT_MS + 5_000);
  afterEach(() => harness.closePages());
  afterAll(() => harness.close());
  return harness;
}

/** The Chromium to launch, or the reason there is none (every browser spec then fails with it). */
function chromiumPath(): string {
  const failure = process.env.FLUXKIT_CHROMIUM_ERROR;
  if (failure) throw new Error(failure);
  const bin = process.env.FLUXKIT_CHROMIUM;
  if (!bin) {
    throw new Error(
      'No Chromium: browser specs must be named test/*.browser.e2e-spec.ts and run through jest.config.js, whose ' +
        "`browser` project's global setup (test/setup/browser-setup.cjs) obtains Chromium.",
    );
  }
  return bin;
}
