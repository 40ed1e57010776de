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
import { round } from './measure.mjs';
import { mean, sideBySide, sideBySideTable } from './side-by-side.mjs';

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
  const variants = {
    off: { ...spec, env: { ...spec.env, METRICS_ENABLED: 'false' } },
    on: { ...spec, env: { ...spec.env, METRICS_ENABLED: 'true' } },
  };
  const compared = await sideBySide(variants, options, context, log);
  const rows = compared.map((r) => ({
    scenario: r.scenario,
    rpsOff: r.rps.off,
    rpsOn: r.rps.on,
    costPercent: round((1 - r.ratio) * 100),
    cpuMsOff: r.cpuMs.off,
    cpuMsOn: r.cpuMs.on,
    errors: r.errors,
  }));
  const table = sideBySideTable(compared, ['off', 'on'], 'on ÷ off');
  const micros = await recordingMicros(spec.appMain);
  const cpuOffMs = mean(rows.map((r) => r.cpuMsOff));
  const share = round((micros / 1000 / cpuOffMs) * 100, 3);
  process.stdout.write(`\n${table}\n\nrecording one send's metrics in-process: ${round(micros, 2)} µs = ${share} % of the ${round(cpuOffMs, 2)} ms of server CPU per send (metrics off)\n`);
  const out = path.resolve(root, options.outGiven ? options.out : 'bench/results/metrics-cost.json');
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), settings: { durationSec: options.durationSec, rounds: options.rounds, connections: options.connections, warmupSec: options.warmupSec }, rows, recordingMicrosPerSend: round(micros, 2), recordingShareOfCpuPercent: share }, null, 2)}\n`);
  log(`wrote ${path.relative(root, out)}`);
}
