/**
 * Command line of `npm run bench`. Two presets (full, --quick) that single
 * flags override; every number is validated here so the rest of the harness
 * can trust it.
 */
import { parseArgs } from 'node:util';
import { SCENARIO_NAMES } from './scenarios.mjs';

const PRESETS = {
  // ~12 minutes on 2 cores: 2 rounds of (ours, baseline) per scenario, 20 s each after a 5 s warm-up.
  full: { duration: 20, warmup: 5, rounds: 2, startups: 3, ceiling: 10, connections: 64 },
  // Under two minutes including the build: one round, 3 s per measurement, no warm-up, and
  // 16 connections, because on FerretDB the 64 requests still in flight at each stop take
  // seconds to drain (20 s for the logs scenario) before the next measurement may start.
  quick: { duration: 3, warmup: 0, rounds: 1, startups: 1, ceiling: 2, connections: 16 },
};

export const USAGE = `npm run bench -- [options]
  --quick                 short run (3 s per measurement, one round, 16 connections): checks the harness, figures are rough
  --duration <s>          seconds per measurement                       (full: 20, quick: 3)
  --warmup <s>            unmeasured seconds before each measurement    (full: 5, quick: 0)
  --rounds <n>            (ours, baseline) pairs per scenario, order alternating (full: 2, quick: 1)
  --connections <n>       concurrent connections of the load generator  (full: 64, quick: 16)
  --startups <n>          cold starts timed per server, median reported (full: 3, quick: 1)
  --scenarios <a,b>       subset of: ${SCENARIO_NAMES.join(', ')}
  --callback-rows <n>     rows seeded \`sent\` before each callbacks measurement, one per request (2000);
                          a run sending more fails: raise it
  --no-async              skip the asynchronous scenario (sms with Prefer: respond-async, needs redis-server)
  --baseline-twilio <sdk|fetch>  how the baseline calls the Twilio-compatible server (sdk)
  --db-dir <dir>          FerretDB's data folder (default: a fresh folder on tmpfs, /dev/shm)
  --no-build              skip \`npm run build\` (dist/main.js must exist)
  --out <file>            JSON output (bench/results/latest.json)
  --chart <file>          SVG bar chart of the run, ours against the baseline (docs/benchmarks.svg)
  --profile <scenario>    instead of the comparison: run one scenario against our server under
                          node --cpu-prof and print the top self-time functions; \`--profile startup\`
                          profiles the cold start (spawn to the first healthy answer) instead
  --hostile               instead of the comparison: time refusing the hostile bodies of bench/hostile.mjs
                          against plain ones (ratio), and health while they arrive
  --metrics               instead of the comparison: our app with METRICS_ENABLED=false and true, side by side
                          on the send scenarios; prints the throughput cost of metrics (bench/metrics-cost.mjs)
  --batch                 instead of the comparison: SMS in batches of 1,000 (POST /messaging/sms/batch) against the
                          same SMS one per request with Prefer: respond-async; accepted and delivered messages per
                          second (bench/batch.mjs, needs redis-server); rounds as --rounds
  --batch-messages <n>    SMS per --batch run (full: 20000, quick: 5000)
  --batches-in-flight <n> batch requests --batch keeps in flight at once (4)
  --profile-batch         with --batch: only the batch acceptance, the API under node --cpu-prof (no workers)
  --versus <main.js>      instead of the comparison: this build against another build of the app (e.g. an older
                          commit's dist/main.js), side by side on the send scenarios (bench/versus.mjs)
  --max-load <x>          wait until the 1-minute load average is below x before measuring
  --max-wait <min>        give up waiting for --max-load after this many minutes (40)
Environment: BENCH_APP_MAIN=<file> measures that build of the app and skips \`npm run build\`;
MONGODB_URI=<uri> uses that server (database fluxkit_bench) instead of starting FerretDB.`;

/** Parses argv into validated settings. Throws with a usage hint on any bad flag. */
export function readOptions(argv = process.argv.slice(2)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      rounds: { type: 'string' },
      connections: { type: 'string' },
      startups: { type: 'string' },
      scenarios: { type: 'string' },
      'callback-rows': { type: 'string' },
      'baseline-twilio': { type: 'string', default: 'sdk' },
      'no-build': { type: 'boolean', default: false },
      'no-async': { type: 'boolean', default: false },
      'db-dir': { type: 'string' },
      out: { type: 'string' },
      chart: { type: 'string', default: 'docs/benchmarks.svg' },
      profile: { type: 'string' },
      hostile: { type: 'boolean', default: false },
      metrics: { type: 'boolean', default: false },
      versus: { type: 'string' },
      batch: { type: 'boolean', default: false },
      'profile-batch': { type: 'boolean', default: false },
      'batch-messages': { type: 'string' },
      'batches-in-flight': { type: 'string' },
      'max-load': { type: 'string' },
      'max-wait': { type: 'string', default: '40' },
      help: { type: 'boolean', default: false },
    },
  });
  const preset = values.quick ? PRESETS.quick : PRESETS.full;
  const number = (name, fallback, min, max, integer = true) => {
    if (values[name] === undefined) return fallback;
    const value = Number(values[name]);
    const ok = Number.isFinite(value) && value >= min && value <= max && (!integer || Number.isInteger(value));
    if (!ok) throw new Error(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}\n\n${USAGE}`);
    return value;
  };
  const scenarios = values.scenarios ? values.scenarios.split(',').map((s) => s.trim()) : SCENARIO_NAMES;
  const profile = values.profile;
  for (const name of [...scenarios, ...(profile && profile !== 'startup' ? [profile] : [])]) {
    if (!SCENARIO_NAMES.includes(name)) throw new Error(`unknown scenario "${name}" (one of ${SCENARIO_NAMES.join(', ')})`);
  }
  if (!['sdk', 'fetch'].includes(values['baseline-twilio'])) throw new Error('--baseline-twilio must be sdk or fetch');
  return {
    help: values.help,
    quick: values.quick,
    durationSec: number('duration', preset.duration, 1, 600),
    warmupSec: number('warmup', preset.warmup, 0, 120),
    rounds: number('rounds', preset.rounds, 1, 20),
    connections: number('connections', preset.connections, 1, 1024),
    startups: number('startups', preset.startups, 1, 10),
    ceilingSec: values.duration === undefined ? preset.ceiling : number('duration', preset.ceiling, 1, 600),
    scenarios,
    callbackRows: number('callback-rows', 2000, 1, 1_000_000),
    baselineTwilio: values['baseline-twilio'],
    build: !values['no-build'] && !process.env.BENCH_APP_MAIN,
    async: !values['no-async'],
    dbDir: values['db-dir'],
    out: values.out ?? 'bench/results/latest.json',
    outGiven: values.out !== undefined,
    chart: values.chart,
    profile,
    hostile: values.hostile,
    metrics: values.metrics,
    versus: values.versus,
    batch: values.batch,
    profileBatch: values['profile-batch'],
    batchMessages: number('batch-messages', values.quick ? 5_000 : 20_000, 1, 1_000_000),
    batchesInFlight: number('batches-in-flight', 4, 1, 64),
    maxLoad: number('max-load', undefined, 0.1, 1000, false),
    maxWaitMin: number('max-wait', 40, 0, 600),
  };
}
