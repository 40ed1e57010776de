/**
 * `npm run bench -- --metrics`: what recording Prometheus metrics costs a send. Our app twice, side by
 * side on the same dependencies: METRICS_ENABLED=false and the default (metrics on), measured in
 * alternating order per round, so both see the same machine. Reported per scenario: throughput and the
 * server's CPU per request of each, and the cost as 1 - on/off (issue #14: at most 5 %).
 */
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { trimToSeed } from './deps.mjs';
import { measure, round, smokeCheck } from './measure.mjs';
import { startTarget } from './targets.mjs';

/** The send scenarios, where the metrics are recorded (health and logs only get the HTTP timing). */
const SEND_SCENARIOS = ['email', 'sms', 'whatsapp', 'email-template'];

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * What recording costs one send in-process, free of the machine's noise: the counters, the send
 * histogram and the HTTP histogram of one request, timed over many iterations with the app's own
 * MessagingMetrics (from the build being measured), in microseconds.
 */
async function recordingMicros(appMain) {
  const file = path.join(path.dirname(appMain), 'messaging', 'observability', 'messaging-metrics.js');
  const { MessagingMetrics } = await import(pathToFileURL(file).href);
  const metrics = new MessagingMetrics({ defaultMetrics: false });
  const iterations = 200_000;
  const started = performance.now();
  for (let i = 0; i < iterations; i++) {
    metrics.attempt('sms', 'twilio', i % 10 === 0 ? 'failed' : 'sent', 0.001 * (i % 500), '21211');
    metrics.httpRequest('POST', '/messaging/sms', i % 10 === 0 ? 500 : 200, 0.002 * (i % 500));
  }
  return ((performance.now() - started) * 1000) / iterations;
}

export async function metricsCost(spec, options, context, log, root) {
  const scenarios = options.scenarios.filter((name) => SEND_SCENARIOS.includes(name));
  const targets = {
    off: await startTarget('ours', { ...spec, env: { ...spec.env, METRICS_ENABLED: 'false' } }),
    on: await startTarget('ours', { ...spec, env: { ...spec.env, METRICS_ENABLED: 'true' } }),
  };
  const rows = [];
  try {
    for (const [index, name] of scenarios.entries()) {
      for (const target of Object.values(targets)) await smokeCheck(target, name, context.token, `smoke-metrics`);
      const runs = { off: [], on: [] };
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
        const order = (roundIndex + index) % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
        for (const mode of order) {
          await trimToSeed(context.dbUri);
          const settings = { connections: options.connections, token: context.token, deps: context.deps, dbPid: context.dbPid };
          const run = `${context.runId}-m${mode}${roundIndex}`;
          if (options.warmupSec > 0) await measure(targets[mode], name, { ...settings, durationSec: options.warmupSec, run: `${run}w` });
          const result = await measure(targets[mode], name, { ...settings, durationSec: options.durationSec, run });
          runs[mode].push(result);
          log(`${name.padEnd(15)} metrics ${mode.padEnd(3)} ${result.rps.toFixed(1).padStart(7)} req/s  cpu ${result.cpuMsPerRequest} ms/req  errors ${result.errors}`);
        }
      }
      const off = mean(runs.off.map((r) => r.rps));
      const on = mean(runs.on.map((r) => r.rps));
      rows.push({
        scenario: name,
        rpsOff: round(off),
        rpsOn: round(on),
        costPercent: round((1 - on / off) * 100),
        cpuMsOff: round(mean(runs.off.map((r) => r.cpuMsPerRequest)), 2),
        cpuMsOn: round(mean(runs.on.map((r) => r.cpuMsPerRequest)), 2),
        errors: [...runs.off, ...runs.on].reduce((sum, r) => sum + r.errors, 0),
      });
    }
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
  }
  const table = [
    '| scenario | req/s metrics off | req/s metrics on | throughput cost | CPU ms/req off | CPU ms/req on | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.scenario} | ${r.rpsOff} | ${r.rpsOn} | ${r.costPercent} % | ${r.cpuMsOff} | ${r.cpuMsOn} | ${r.errors} |`),
  ].join('\n');
  const micros = await recordingMicros(spec.appMain);
  const cpuOffMs = mean(rows.map((r) => r.cpuMsOff));
  const share = round((micros / 1000 / cpuOffMs) * 100, 3);
  process.stdout.write(`\n${table}\n\nrecording one send's metrics in-process: ${round(micros, 2)} µs = ${share} % of the ${round(cpuOffMs, 2)} ms of server CPU per send (metrics off)\n`);
  const out = path.resolve(root, options.outGiven ? options.out : 'bench/results/metrics-cost.json');
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), settings: { durationSec: options.durationSec, rounds: options.rounds, connections: options.connections, warmupSec: options.warmupSec }, rows, recordingMicrosPerSend: round(micros, 2), recordingShareOfCpuPercent: share }, null, 2)}\n`);
  log(`wrote ${path.relative(root, out)}`);
}
