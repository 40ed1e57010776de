import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningApp } from './helpers/app-process.js';
import { request } from './helpers/http.js';
import { rawHttp, rawRequest } from './helpers/raw-http.js';
import { testEnvironment } from './helpers/test-environment.js';

/** What `npm run build` wrote (scripts/build-console.mjs); the service must answer exactly these bytes. */
const BUILT = path.join(process.cwd(), 'dist', 'console');

/** The page's script and stylesheet, as the page itself names them (relative to <prefix>/console). */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(console\/[^"]+)"/g)].map((match) => match[1] ?? '');
}

/**
 * GET /messaging/console (docs/console.md): the built single-page app, served with a strict Content
 * Security Policy and cache headers, by exact file name only, and not at all with CONSOLE_ENABLED=false.
 * What the page does in a browser: test/console-flows.browser.e2e-spec.ts, test/console-security.browser.e2e-spec.ts.
 */
describe('operations console: serving', () => {
  const environment = testEnvironment({ name: 'console' });
  let app: RunningApp;
  beforeAll(async () => {
    app = await environment.startApp({});
  });

  it('serves the page without a token, under a policy that allows no inline script and no framing', async () => {
    const page = await fetch(`${app.url}/messaging/console`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(html).toBe(readFileSync(path.join(BUILT, 'index.html'), 'utf8'));
    const csp = new Map(
      (page.headers.get('content-security-policy') ?? '').split(';').map((directive) => {
        const [name = '', ...values] = directive.trim().split(/\s+/);
        return [name, values.join(' ')] as const;
      }),
    );
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    // The preview is a srcdoc frame: nothing to fetch, so no frame source at all.
    expect(csp.get('frame-src')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    // Every script of the page is a file of the service's own: no inline code the policy would have to allow.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      expect(attributes).toMatch(/\bsrc="console\/app-[A-Z0-9]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves the script and stylesheet the page names, typed and cacheable for a year (their names hold their hash)', async () => {
    const html = await (await fetch(`${app.url}/messaging/console`)).text();
    const assets = assetsOf(html);
    expect(assets.map((asset) => path.extname(asset)).sort()).toEqual(['.css', '.js']);
    for (const asset of assets) {
      const answer = await fetch(new URL(asset, `${app.url}/messaging/console`));
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toBe(asset.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(answer.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await answer.arrayBuffer()).equals(readFileSync(path.join(BUILT, path.basename(asset))))).toBe(true);
    }
  });

  it('answers only the built files by name: traversal, encoded slashes and other files are 404 in the envelope', async () => {
    const attempts = [
      '/messaging/console/..%2f..%2fpackage.json',
      '/messaging/console/%2e%2e%2f%2e%2e%2fpackage.json',
      '/messaging/console/..%5c..%5cpackage.json',
      '/messaging/console/%2fetc%2fpasswd',
      '/messaging/console/main.js',
      '/messaging/console/index.html',
      '/messaging/console/app.js.map',
      '/messaging/console/..',
      '/messaging/console/../../package.json',
      '/messaging/console/./index.html',
    ];
    for (const target of attempts) {
      const answer = await rawRequest(app.url, [rawHttp(`GET ${target} HTTP/1.1`, { Connection: 'close' })]);
      expect({ target, status: answer.status }).toEqual({ target, status: 404 });
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'NOT_FOUND' } });
      expect(answer.body).not.toContain('@fluxkit/messaging');
    }
    // The built folder holds only what the page loads: nothing else there could be reached by name.
    expect(readdirSync(BUILT).sort()).toEqual(['index.html', ...assetsOf(readFileSync(path.join(BUILT, 'index.html'), 'utf8')).map((a) => path.basename(a))].sort());
  });

  it('adds no way around the API guard: the page is public, the data it shows is not', async () => {
    expect((await fetch(`${app.url}/messaging/console`)).status).toBe(200);
    const logs = await request(`${app.url}/messaging/logs`);
    expect(logs.status).toBe(401);
  });

  it('is gone with CONSOLE_ENABLED=false: the page and its files are 404, the API is unchanged', async () => {
    const off = await environment.startApp({ CONSOLE_ENABLED: 'false' });
    const html = await (await fetch(`${app.url}/messaging/console`)).text();
    for (const target of ['/messaging/console', ...assetsOf(html).map((asset) => `/messaging/${asset}`)]) {
      const answer = await request(`${off.url}${target}`);
      expect({ target, status: answer.status }).toEqual({ target, status: 404 });
    }
    expect((await request(`${off.url}/messaging/health`)).status).toBe(200);
  });
});
