import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findPackageRoot } from '../templates/package-root.js';

/** One file of the built console, held in memory: the whole console is a few tens of KB. */
export interface ConsoleAsset {
  body: Buffer;
  contentType: string;
  cacheControl: string;
}

/** The page; every other file is named by the content hash the build gave it. */
export const CONSOLE_PAGE = 'index.html';

/** What the console's files may be (the build writes only these); anything else is never served. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/**
 * The page is revalidated on every load, so a new build shows at once; the other files carry their
 * content hash in their name (scripts/build-console.mjs), so a browser may keep them for a year.
 */
const PAGE_CACHE = 'no-cache';
const HASHED_CACHE = 'public, max-age=31536000, immutable';

/**
 * The console's Content Security Policy. Scripts only from the service itself (no inline script, no
 * eval), API calls only to it, nothing may frame the console, and it frames nothing that is fetched: the
 * template preview is a srcdoc iframe, which `frame-src 'none'` does not stop (nothing is loaded).
 * `style-src 'unsafe-inline'` is for that preview: the srcdoc frame inherits this policy, and mail HTML
 * is styled inline (style attributes and a <style> block, what mail clients read); styles cannot run
 * code, and the iframe is sandboxed without `allow-scripts`. Images: the service's and data: URLs only,
 * so a preview never calls a tracking pixel.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The built console: `dist/console/` at the package root, the same from src/ (tests) and from an install. */
export function defaultConsoleDir(): string {
  return join(findPackageRoot(dirname(fileURLToPath(import.meta.url))), 'dist', 'console');
}

/**
 * Reads every file the build wrote, once. Requests are answered from this map by exact name, so a
 * request can never name a path (`..`, `%2f`, an absolute path): what is not a key is a 404. An
 * unbuilt console (no folder) is an empty map.
 */
export function loadConsoleAssets(dir: string = defaultConsoleDir()): ReadonlyMap<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(dir)) return assets;
  for (const name of readdirSync(dir)) {
    const contentType = CONTENT_TYPES[extname(name)];
    const path = join(dir, name);
    if (contentType === undefined || !statSync(path).isFile()) continue;
    assets.set(name, {
      body: readFileSync(path),
      contentType,
      cacheControl: name === CONSOLE_PAGE ? PAGE_CACHE : HASHED_CACHE,
    });
  }
  return assets;
}
