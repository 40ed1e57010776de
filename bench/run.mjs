#!/usr/bin/env node
/**
 * npm run bench [-- --quick] : throughput, latency and memory of every
 * endpoint of the built app, side by side with a bare Fastify baseline doing
 * the same work, on the same real dependencies (see docs/benchmarks.md).
 *
 * Progress goes to stderr; stdout gets the markdown table only. The JSON
 * goes to bench/results/latest.json (or --out).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { compareAcceptance, compareAsync } from './async.mjs';
import { batchTable, compareBatch, profileBatch } from './batch.mjs';
import { writeChart } from './chart.mjs';
import { BENCH_PUBLIC_BASE_URL } from './callbacks.mjs';
import { startDatabase, startNetworkDeps, trimToSeed } from './deps.mjs';
import { measure, round, smokeCheck } from './measure.mjs';
import { readOptions, USAGE } from './options.mjs';
import { scenario } from './scenarios.mjs';
import { packageRoot } from './paths.mjs';
import { hostileScenarios } from './hostile.mjs';
import { metricsCost } from './metrics-cost.mjs';
import { versus } from './versus.mjs';
import { profileScenario } from './profile.mjs';
import { loadSampler, machine, markdownReport, summarizeScenario, writeReport } from './report.mjs';
import { memoryOf, startTarget } from './targets.mjs';

const log = (line) => process.stderr.write(`${line}\n`);

/** The app's entry: BENCH_APP_MAIN as given, else dist/main.js after `npm run build` (unless --no-build). */
function appEntry(root, options) {
  if (process.env.BENCH_APP_MAIN) return path.resolve(root, process.env.BENCH_APP_MAIN);
  if (options.build) {
    log('npm run build ...');
    const built = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) throw new Error('npm run build failed');
  }
  const main = path.join(root, 'dist', 'main.js');
  if (!fs.existsSync(main)) throw new Error('dist/main.js does not exist: run without --no-build, or set BENCH_APP_MAIN');
  return main;
}

/** Waits until the 1-minute load average is below `max` (re-checking each minute), or gives up. */
async function waitForLoad(max, maxWaitMin) {
  const deadline = Date.now() + maxWaitMin * 60_000;
  for (;;) {
    const load = os.loadavg()[0];
    if (load < max) return log(`load average ${load.toFixed(2)} < ${max}: measuring`);
    if (Date.now() > deadline) throw new Error(`load average still ${load.toFixed(2)} after ${maxWaitMin} min: not measuring`);
    log(`load average ${load.toFixed(2)} >= ${max}: waiting a minute`);
    await new Promise((resolve) => setTimeout(resolve, 60_000));
  }
}

/** The app's environment (also read by the baseline): every channel configured, throttling out of the way. */
function serverEnv(db, deps, jwtSecret, options) {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    NO_COLOR: '1',
    MONGODB_URI: db.uri,
    JWT_SECRET: jwtSecret,
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(deps.smtpPort),
    SMTP_SECURE: 'false',
    EMAIL_FROM: 'Bench <bench@example.com>',
    ...deps.twilio,
    TWILIO_SMS_FROM: '+15005550006',
    TWILIO_WHATSAPP_FROM: '+15005550007',
    // Never a 429: 1,000,000 requests per 50 ms window. The short window also keeps the
    // throttler's per-client list of hit expiry times (which it filters on every request) at
    // the few hundred entries a production limit allows, instead of one per request per second.
    THROTTLE_LIMIT: '1000000',
    THROTTLE_TTL_MS: '50',
    BASELINE_TWILIO: options.baselineTwilio,
    // Delivery receipts on: Twilio creates carry a StatusCallback, and the callbacks scenario's
    // signatures are made for this origin (nothing connects to it).
    PUBLIC_BASE_URL: BENCH_PUBLIC_BASE_URL,
  };
}

/** Starts `kind` `times` times (cold starts), keeps the last one running; median start time and idle RSS. */
async function startTimed(kind, times, spec) {
  const starts = [];
  let target;
  for (let i = 0; i < times; i++) {
    target = await startTarget(kind, spec);
    starts.push(target.startupMs);
    if (i < times - 1) await target.stop();
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  starts.sort((a, b) => a - b);
  target.coldStartMs = starts[Math.floor(starts.length / 2)];
  target.idleRssMb = round(memoryOf(target.pid)?.rssMb ?? NaN, 0);
  log(`${kind}: cold start ${starts.join(', ')} ms, idle RSS ${target.idleRssMb} MB`);
  return target;
}

/** Warm-up (unmeasured), then one measurement, starting from the seed rows only. */
async function warmAndMeasure(target, name, durationSec, options, context, run) {
  await trimToSeed(context.dbUri);
  const settings = {
    connections: options.connections,
    token: context.token,
    deps: context.deps,
    dbPid: context.dbPid,
    dbUri: context.dbUri,
    callbackRows: options.callbackRows,
  };
  if (options.warmupSec > 0) await measure(target, name, { ...settings, durationSec: options.warmupSec, run: `${run}w` });
  return measure(target, name, { ...settings, durationSec, run });
}

/** Every scenario: smoke check, then rounds of (ours, baseline) with the order alternating. */
async function compare(targets, options, context) {
  const summaries = [];
  for (const [index, name] of options.scenarios.entries()) {
    for (const target of [targets.ours, targets.baseline]) await smokeCheck(target, name, context.token, `smoke-${target.kind}`, context);
    const runs = [];
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      const pair = (roundIndex + index) % 2 === 0 ? [targets.ours, targets.baseline] : [targets.baseline, targets.ours];
      for (const target of pair) {
        const run = `${context.runId}-${target.kind[0]}${roundIndex}`;
        const result = await warmAndMeasure(target, name, options.durationSec, options, context, run);
        runs.push({ target: target.kind, ...result });
        if (result.errors > 0) {
          const codes = Object.entries(result.statusCodes ?? {}).map(([code, { count }]) => `${code}×${count}`).join(' ');
          log(`  errors on ${target.kind}: status ${codes}, socket errors ${result.socketErrors} (timeouts ${result.timeouts}); server output:`);
          log(target.output().trim().split('\n').slice(-5).map((line) => `  | ${line}`).join('\n'));
        }
        log(
          `${new Date().toISOString().slice(11, 19)} ${name.padEnd(15)} ${target.kind.padEnd(8)} ${result.rps.toFixed(1).padStart(7)} req/s  ` +
            `p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  errors ${result.errors}  peak ${result.peakRssMb} MB  ` +
            `cpu ${result.cpuMsPerRequest} ms/req` +
            (result.delivered === undefined ? '' : `  delivered ${result.delivered}/${result.ok}`) +
            (result.moved === undefined ? '' : `  rows moved ${result.moved}/${result.ok}`),
        );
      }
    }
    summaries.push(summarizeScenario(name, runs));
  }
  return summaries;
}

/** The hello-world ceiling, once with a POST body (the email request) and once as a GET. */
async function ceiling(hello, options, context) {
  const results = [];
  for (const [name, label] of [['email', 'POST email body'], ['health', 'GET']]) {
    const r = await warmAndMeasure(hello, name, options.ceilingSec, options, context, `${context.runId}-h`);
    log(`ceiling ${label}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms`);
    results.push({ label, rps: round(r.rps, 0), p50Ms: r.p50Ms, p99Ms: r.p99Ms, errors: r.errors, peakRssMb: round(r.peakRssMb, 0), cpuMsPerRequest: r.cpuMsPerRequest });
  }
  return results;
}

/** `--batch`: the batch scenario alone, its table printed and its figures written to --out (bench/results/batch.json). */
async function batchOnly(spec, options, context, description, root) {
  const load = loadSampler();
  log(`batch scenario: ${options.batchMessages} SMS per run, ${options.rounds} round(s), on ${description}`);
  const batch = await compareBatch(spec, options, context, log);
  const report = { machine: machine(description), date: new Date().toISOString(), batch, loadAverage: load.stop() };
  const out = path.resolve(root, options.outGiven ? options.out : 'bench/results/batch.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`\n${batchTable(batch)}\n\nLoad average during the run: ${JSON.stringify(report.loadAverage)}\n`);
  log(`wrote ${path.relative(root, out)}`);
}

async function main() {
  const options = readOptions();
  if (options.help) return void process.stdout.write(`${USAGE}\n`);
  const root = packageRoot();
  const appMain = appEntry(root, options);
  if (options.maxLoad !== undefined) await waitForLoad(options.maxLoad, options.maxWaitMin);
  const stops = [];
  try {
    const db = await startDatabase(root, log, { dbDir: options.dbDir });
    stops.push(db.stop);
    const deps = await startNetworkDeps();
    stops.push(deps.stop);
    const jwtSecret = randomBytes(32).toString('hex');
    const token = jwt.sign({ sub: 'bench' }, jwtSecret, { algorithm: 'HS256', expiresIn: '1d' });
    const spec = { env: serverEnv(db, deps, jwtSecret, options), appMain, cwd: root };
    const context = { token, deps, dbUri: db.uri, dbPid: db.pid, runId: Date.now().toString(36) };
    if (options.profile) return await profileScenario(options, spec, context, log);
    if (options.hostile) return void (await hostileScenarios(spec, context, log));
    if (options.metrics) return void (await metricsCost(spec, options, context, log, root));
    if (options.versus) return void (await versus(spec, options, context, log, root));
    if (options.batch && options.profileBatch) return void (await profileBatch(spec, options, context, log));
    if (options.batch) return void (await batchOnly(spec, options, context, db.description, root));

    const load = loadSampler();
    log(`measuring ${path.relative(root, appMain)} against the baseline on ${db.description}`);
    const ours = await startTimed('ours', options.startups, spec);
    stops.push(ours.stop);
    const baseline = await startTimed('baseline', options.startups, spec);
    stops.push(baseline.stop);
    const scenarios = await compare({ ours, baseline }, options, context);
    await Promise.all([ours.stop(), baseline.stop()]);
    const asyncDelivery = options.async ? await compareAsync(spec, options, context, log) : undefined;
    const acceptance = options.async ? await compareAcceptance(spec, options, context, log) : undefined;
    const hello = await startTimed('hello', 1, spec);
    stops.push(hello.stop);
    const ceilings = await ceiling(hello, options, context);
    await hello.stop();
    const report = {
      machine: machine(db.description),
      date: new Date().toISOString(),
      scenarios,
      ...(asyncDelivery ? { async: asyncDelivery } : {}),
      ...(acceptance ? { acceptance } : {}),
      startupMs: ours.coldStartMs,
      idleRssMb: ours.idleRssMb,
      baseline: { startupMs: baseline.coldStartMs, idleRssMb: baseline.idleRssMb },
      ceiling: ceilings,
      ceilingStartupMs: hello.coldStartMs,
      loadAverage: load.stop(),
      settings: {
        quick: options.quick,
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        rounds: options.rounds,
        startups: options.startups,
        baselineTwilio: options.baselineTwilio,
        app: path.relative(root, appMain),
      },
    };
    const out = path.resolve(root, options.out);
    writeReport(out, report);
    const chart = path.resolve(root, options.chart);
    writeChart(chart, report, { labels: Object.fromEntries(scenarios.map((s) => [s.name, scenario(s.name).label])) });
    process.stdout.write(`\n${markdownReport(report)}\n`);
    log(`wrote ${path.relative(root, out)} and ${path.relative(root, chart)}`);
  } finally {
    for (const stop of stops.reverse()) await stop().catch((error) => log(`cleanup: ${error.message}`));
  }
}

main().catch((error) => {
  log(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
