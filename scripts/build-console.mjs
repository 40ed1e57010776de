#!/usr/bin/env node
/**
 * Builds the operations console (console/) into dist/console/: one script and one stylesheet, minified,
 * named by their content hash (so the service may let browsers cache them for a year), and index.html
 * pointing at them. Run by `npm run build` after `nest build`, which empties dist/. Prints the shipped
 * size, gzipped, which docs/console.md records.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = path.join(ROOT, 'console');
const OUT = path.join(ROOT, 'dist', 'console');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { app: path.join(SOURCE, 'src', 'main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: path.join(SOURCE, 'tsconfig.json'),
  outdir: OUT,
  entryNames: '[name]-[hash]',
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
const script = outputs.find((file) => file.endsWith('.js'));
const style = outputs.find((file) => file.endsWith('.css'));
if (!script || !style) throw new Error(`build-console: expected one .js and one .css, got ${outputs.join(', ')}`);

// Relative to the page's address (<prefix>/console), so any route prefix works.
const page = readFileSync(path.join(SOURCE, 'index.html'), 'utf8')
  .replace('%SCRIPT%', `console/${script}`)
  .replace('%STYLE%', `console/${style}`);
writeFileSync(path.join(OUT, 'index.html'), page);

const gzip = (file) => gzipSync(readFileSync(path.join(OUT, file)), { level: 9 }).length;
const total = [script, style, 'index.html'].reduce((sum, file) => sum + gzip(file), 0);
console.log(`build-console: ${script} ${gzip(script)} B, ${style} ${gzip(style)} B, index.html; ${total} B gzipped in all`);
