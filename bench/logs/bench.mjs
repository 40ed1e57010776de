#!/usr/bin/env node
/**
 * npm run bench:logs -- [--rows 1000000] [--samples 30] [--min-samples 3] [--warmup 1]
 *                       [--budget-seconds 60] [--reuse] [--explain-only]
 *                       [--out bench/results/logs-latest.json]
 *
 * Loads realistic message log rows in bulk, starts the built app (dist/main.js,
 * or APP_MAIN), and measures the latency of GET /messaging/logs over HTTP for
 * each filter, offset and cursor paging. Prints a markdown table and writes JSON,
 * with the query plan of each scenario (explain) as evidence of index use.
 * --explain-only skips the HTTP measurements and prints the plans alone.
 *
 * Database: MONGODB_URI when set (the rows go to its server, in the database
 * `fluxkit_bench_logs`, never the one the URI names); otherwise FerretDB is
 * started on a free loopback port through scripts/local-services.cjs, with its
 * data in .local/bench-logs/ (kept, so --reuse can skip loading), and stopped
 * at the end.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import services from '../../scripts/local-services.cjs';
import { packageRoot, startApp } from './app.mjs';
import { loadRows } from './load.mjs';
import { explainScenarios, plansTable } from './explain.mjs';
import { measureScenarios } from './scenarios.mjs';
import { markdownTable } from './stats.mjs';

const BENCH_DB = 'fluxkit_bench_logs';

function options() {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      samples: { type: 'string', default: '30' },
      'min-samples': { type: 'string', default: '3' },
      warmup: { type: 'string', default: '1' },
      'budget-seconds': { type: 'string', default: '60' },
      reuse: { type: 'boolean', default: false },
      'explain-only': { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench/results/logs-latest.json' },
    },
  });
  const int = (name, min) => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}`);
    return value;
  };
  return {
    rows: int('rows', 1),
    samples: int('samples', 1),
    minSamples: int('min-samples', 1),
    warmup: int('warmup', 0),
    budgetMs: int('budget-seconds', 1) * 1000,
    reuse: values.reuse,
    explainOnly: values['explain-only'],
    out: values.out,
  };
}

/** mongodb://hosts/anything?query -> mongodb://hosts/<name>?query */
function withDatabase(uri, name) {
  const hostsStart = uri.indexOf('://') + 3;
  const rest = uri.slice(hostsStart);
  const hostsEnd = rest.search(/[/?]/);
  const hosts = hostsEnd < 0 ? rest : rest.slice(0, hostsEnd);
  const query = rest.includes('?') ? rest.slice(rest.indexOf('?')) : '';
  return `${uri.slice(0, hostsStart)}${hosts}/${name}${query}`;
}

async function database(root) {
  if (process.env.MONGODB_URI) {
    return { uri: withDatabase(process.env.MONGODB_URI, BENCH_DB), handle: undefined };
  }
  const dataRoot = path.join(root, '.local', 'bench-logs', 'ferretdb');
  const handle = await services.ensureDatabase({
    port: await services.findFreePort(),
    ignoreEnv: true,
    dataDir: path.join(dataRoot, 'data'),
    stateDir: path.join(dataRoot, 'state'),
    logName: 'ferretdb-bench',
    logLevel: 'warn',
    record: false,
    parentPid: process.pid,
    log: (line) => console.log(line),
  });
  console.log(`FerretDB started on ${handle.uri} (pid ${handle.pid}), data in ${path.relative(root, dataRoot)}/`);
  return { uri: withDatabase(handle.uri, BENCH_DB), handle, build: ferretdbBuild(root) };
}

/** The embedded server reports its version as "unknown": name the module it was built from instead. */
function ferretdbBuild(root) {
  const goMod = fs.readFileSync(path.join(root, 'tools', 'ferretdb', 'go.mod'), 'utf8');
  const version = /github\.com\/FerretDB\/FerretDB (v[\w.-]+)/.exec(goMod)?.[1] ?? 'unknown';
  return `tools/ferretdb (github.com/FerretDB/FerretDB ${version}, SQLite backend), started by the benchmark`;
}

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

/** Ctrl-C or SIGTERM: stop the app and the FerretDB this run started, then exit. */
function stopOnSignal(cleanup) {
  const handler = (signal) => {
    console.error(`\n${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** Writes the report as JSON (again after each scenario, so a cut-short run keeps its figures). */
function reportWriter(file, base) {
  return (fields) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const loadAverageNow = os.loadavg().map((value) => Math.round(value * 100) / 100);
    const report = { generatedAt: new Date().toISOString(), ...base, loadAverageNow, ...fields };
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  };
}

/** Starts the app, times every scenario over HTTP, adds the query plans, prints and writes the report. */
async function benchmark(db, load, settings, root, track) {
  console.log(`Starting the app (${process.env.APP_MAIN ?? 'dist/main.js'}) and waiting for its indexes...`);
  const app = await startApp({ mongodbUri: db.uri, indexTimeoutMs: 60 * 60_000 });
  track(app);
  console.log(`${app.indexLine} (app start to ready: ${app.indexSeconds.toFixed(1)}s)`);
  const out = path.resolve(root, settings.out);
  const write = reportWriter(out, {
    machine: machine(),
    // Other processes share the CPU: the 1/5/15-minute load averages when measuring began, and at each write.
    loadAverageAtStart: os.loadavg().map((value) => Math.round(value * 100) / 100),
    database: { ...load.server, ...(db.build ? { build: db.build } : {}) },
    rows: settings.rows,
    load: load.stats,
    indexes: { line: app.indexLine, secondsFromStart: Math.round(app.indexSeconds * 10) / 10 },
    settings: { ...settings, out: undefined },
  });
  const { results, cursorMatchesOffset } = await measureScenarios(app, settings, (partial, same) =>
    write({ complete: false, cursorMatchesOffset: same, scenarios: partial }),
  );
  await app.stop();
  console.log(`\n${markdownTable(results)}\n`);
  console.log(`cursor page at depth 10,000 equals the offset=10000 page: ${cursorMatchesOffset}`);
  write({ complete: false, cursorMatchesOffset, scenarios: results });
  const plans = await explainScenarios(db.uri);
  console.log(`\n${plansTable(plans)}\n`);
  write({ complete: true, cursorMatchesOffset, scenarios: results, plans });
  console.log(`wrote ${path.relative(root, out)}`);
}

/** --explain-only: the query plans of the loaded rows, without starting the app. */
async function explainOnly(db, load, settings, root) {
  const plans = await explainScenarios(db.uri);
  console.log(`\n${plansTable(plans)}\n`);
  const out = path.join(path.dirname(path.resolve(root, settings.out)), 'logs-plans-latest.json');
  const database = { ...load.server, ...(db.build ? { build: db.build } : {}) };
  reportWriter(out, { machine: machine(), database, rows: settings.rows })({ plans });
  console.log(`wrote ${path.relative(root, out)}`);
}

async function main() {
  const settings = options();
  const root = packageRoot();
  const db = await database(root);
  let app;
  const cleanup = async () => {
    await app?.stop();
    if (db.handle) await services.stopStarted([db.handle]);
  };
  stopOnSignal(cleanup);
  try {
    const load = await loadRows(db.uri, settings);
    if (settings.explainOnly) await explainOnly(db, load, settings, root);
    else await benchmark(db, load, settings, root, (started) => (app = started));
  } finally {
    await cleanup();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
