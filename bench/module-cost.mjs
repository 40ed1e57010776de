#!/usr/bin/env node
/**
 * `npm run bench:modules [-- --runs <n>]`: what loading the code costs before
 * any request, the floor under the cold start and the idle RSS. In a fresh
 * process per run, the packages the baseline loads too are imported first,
 * then the stack only our app loads (Nest, mongoose, class-validator, swagger,
 * ...), then the app's own module graph (dist/app.module.js, `npm run build`
 * first). Per step: the import's wall time and the RSS it added (after a full
 * GC), medians over the runs. Nothing listens and nothing connects.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { packageRoot } from './paths.mjs';

/** The baseline server's imports (bench/baseline-server.mjs and bench/baseline/). */
const SHARED = ['fastify', 'mongodb', 'twilio', 'nodemailer', 'handlebars', 'html-to-text', 'jsonwebtoken', 'ioredis', 'bullmq'];
/** What the design card's stack adds, in the order the app's modules reach them. */
const OURS_ONLY = [
  'reflect-metadata',
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/platform-fastify',
  'mongoose',
  '@nestjs/mongoose',
  'class-transformer',
  'class-validator',
  '@nestjs/jwt',
  '@nestjs/passport',
  'passport-jwt',
  '@nestjs/throttler',
  '@nestjs/terminus',
  '@nestjs/swagger',
  'pino',
  'prom-client',
  'jwks-rsa',
];
const APP = 'dist/app.module.js';

/** The child: imports each step in order and prints [{ step, ms, rssMb }] as JSON. */
const CHILD = `
const steps = JSON.parse(process.argv[1]);
const rss = () => { globalThis.gc(); return process.memoryUsage().rss / 1048576; };
const out = [{ step: 'node', ms: 0, rssMb: rss() }];
for (const step of steps) {
  const started = performance.now();
  await import(step.specifier);
  const ms = performance.now() - started;
  out.push({ step: step.name, ms, rssMb: rss() });
}
process.stdout.write(JSON.stringify(out));
`;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function main() {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Math.max(1, Math.min(20, Number(values.runs) || 5));
  const root = packageRoot();
  const app = path.join(root, APP);
  if (!fs.existsSync(app)) throw new Error(`${APP} is missing: run npm run build first`);
  const steps = [
    ...SHARED.map((name) => ({ name, group: 'shared', specifier: name })),
    ...OURS_ONLY.map((name) => ({ name, group: 'ours', specifier: name })),
    { name: 'the app\u2019s own modules', group: 'app', specifier: pathToFileURL(app).href },
  ];
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const child = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', CHILD, JSON.stringify(steps)], { cwd: root, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`import run failed:\n${child.stderr}`);
    samples.push(JSON.parse(child.stdout));
  }
  const rows = [];
  const nodeRss = median(samples.map((s) => s[0].rssMb));
  let previousRss = nodeRss;
  const totals = { shared: { ms: 0, mb: 0 }, ours: { ms: 0, mb: 0 }, app: { ms: 0, mb: 0 } };
  steps.forEach((step, i) => {
    const ms = median(samples.map((s) => s[i + 1].ms));
    const rss = median(samples.map((s) => s[i + 1].rssMb));
    const mb = rss - previousRss;
    totals[step.group].ms += ms;
    totals[step.group].mb += mb;
    rows.push(`| ${step.group} | ${step.name} | ${ms.toFixed(0)} | ${mb.toFixed(1)} | ${rss.toFixed(0)} |`);
    previousRss = rss;
  });
  const lines = [
    `Module loading, median of ${runs} fresh processes (Node ${process.version}); RSS after a full GC:`,
    '',
    '| loaded by | import | ms | RSS added MB | RSS after MB |',
    '|---|---|---:|---:|---:|',
    `| – | node itself | 0 | – | ${nodeRss.toFixed(0)} |`,
    ...rows,
    '',
    '| group | ms | RSS added MB |',
    '|---|---:|---:|',
    ...Object.entries(totals).map(([group, t]) => `| ${group} | ${t.ms.toFixed(0)} | ${t.mb.toFixed(1)} |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main();
