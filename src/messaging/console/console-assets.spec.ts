import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConsoleAssets } from './console-assets.js';

describe('loadConsoleAssets', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-assets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the page and hashed files with their types; the page is revalidated, the rest cached for a year', () => {
    writeFileSync(join(dir, 'index.html'), '<!doctype html>');
    writeFileSync(join(dir, 'app-ABC123.js'), 'export {}');
    writeFileSync(join(dir, 'app-ABC123.css'), 'body{}');
    const assets = loadConsoleAssets(dir);
    expect([...assets.keys()].sort()).toEqual(['app-ABC123.css', 'app-ABC123.js', 'index.html']);
    expect(assets.get('index.html')).toMatchObject({ contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(assets.get('app-ABC123.js')).toMatchObject({
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(assets.get('app-ABC123.js')?.body.toString()).toBe('export {}');
  });

  it('leaves out what the build does not write: other types, source maps, folders', () => {
    writeFileSync(join(dir, 'app.js.map'), '{}');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    mkdirSync(join(dir, 'nested.js'));
    expect(loadConsoleAssets(dir).size).toBe(0);
  });

  it('is empty when the console was never built', () => {
    expect(loadConsoleAssets(join(dir, 'missing')).size).toBe(0);
  });
});
