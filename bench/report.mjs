/**
 * Turns raw measurements into the figures of bench/results/latest.json and
 * the markdown table printed at the end of a run.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { round } from './measure.mjs';
import { scenario } from './scenarios.mjs';
import { RATIO_GOALS } from './targets.mjs';

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

/** The machine the figures come from. */
export function machine(databaseDescription) {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database: databaseDescription,
  };
}

/** Mean of the rounds for rates and latencies, sum of errors, max of peak RSS. */
function combine(runs) {
  return {
    rawRps: mean(runs.map((r) => r.rps)),
    rps: round(mean(runs.map((r) => r.rps)), 1),
    p50Ms: round(mean(runs.map((r) => r.p50Ms)), 1),
    p99Ms: round(mean(runs.map((r) => r.p99Ms)), 1),
    errors: runs.reduce((sum, r) => sum + r.errors, 0),
    peakRssMb: round(Math.max(...runs.map((r) => r.peakRssMb)), 0),
    cpuMsPerRequest: round(mean(runs.map((r) => r.cpuMsPerRequest ?? NaN)), 2),
  };
}

/** One scenario's entry: ours in the required keys, the baseline beside it, raw rounds kept. */
export function summarizeScenario(name, runs) {
  const ours = combine(runs.filter((r) => r.target === 'ours'));
  const baseline = combine(runs.filter((r) => r.target === 'baseline'));
  const ratio = baseline.rawRps > 0 ? round(ours.rawRps / baseline.rawRps, 2) : null;
  const goal = RATIO_GOALS[name];
  return {
    name,
    rps: ours.rps,
    baselineRps: baseline.rps,
    ratio,
    ...(goal === undefined ? {} : { goal, goalMet: ratio !== null && ratio >= goal }),
    p50Ms: ours.p50Ms,
    p99Ms: ours.p99Ms,
    errors: ours.errors,
    peakRssMb: ours.peakRssMb,
    cpuMsPerRequest: ours.cpuMsPerRequest,
    baseline: {
      p50Ms: baseline.p50Ms,
      p99Ms: baseline.p99Ms,
      errors: baseline.errors,
      peakRssMb: baseline.peakRssMb,
      cpuMsPerRequest: baseline.cpuMsPerRequest,
    },
    runs: runs.map((r) => ({
      target: r.target,
      rps: round(r.rps, 1),
      p50Ms: r.p50Ms,
      p99Ms: r.p99Ms,
      errors: r.errors,
      peakRssMb: r.peakRssMb,
      cpuMsPerRequest: r.cpuMsPerRequest,
      ...(r.errors > 0 ? { statusCodes: r.statusCodes, socketErrors: r.socketErrors, timeouts: r.timeouts } : {}),
      ...(r.delivered === undefined ? {} : { ok: r.ok, delivered: r.delivered }),
      ...(r.moved === undefined ? {} : { ok: r.ok, moved: r.moved }),
    })),
  };
}

/** The markdown table (and the lines under it) printed on stdout. */
export function markdownReport(report) {
  const lines = [
    '| scenario | ours req/s | baseline req/s | ours ÷ baseline | p50 ms (ours / base) | p99 ms (ours / base) | errors (ours / base) | peak RSS MB (ours / base) | server CPU ms/req (ours / base) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const s of report.scenarios) {
    lines.push(
      `| ${scenario(s.name).label} | ${s.rps} | ${s.baselineRps} | ${s.ratio ?? '–'} | ${s.p50Ms} / ${s.baseline.p50Ms} | ` +
        `${s.p99Ms} / ${s.baseline.p99Ms} | ${s.errors} / ${s.baseline.errors} | ${s.peakRssMb} / ${s.baseline.peakRssMb} | ` +
        `${s.cpuMsPerRequest} / ${s.baseline.cpuMsPerRequest} |`,
    );
  }
  for (const c of report.ceiling ?? []) {
    lines.push(`| ceiling: hello-world Fastify, ${c.label} | ${c.rps} | – | – | ${c.p50Ms} | ${c.p99Ms} | ${c.errors} | ${c.peakRssMb} | ${c.cpuMsPerRequest} |`);
  }
  const goals = report.scenarios.filter((s) => s.goal !== undefined);
  if (goals.length > 0) {
    lines.push('', `Goals (ours ÷ baseline req/s): ${goals.map((s) => `${s.name} ${s.ratio ?? '–'} against ${s.goal}, ${s.goalMet ? 'met' : 'missed'}`).join('; ')}.`);
  }
  const a = report.async;
  if (a) {
    lines.push(
      '',
      '| asynchronous (same instance, with Redis) | accepted req/s (202) | sync sms req/s (200) | async ÷ sync | delivered/s end to end | p50 ms (async / sync) | p99 ms (async / sync) | errors | undelivered |',
      '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
      `| POST /messaging/sms, Prefer: respond-async | ${a.acceptedRps} | ${a.syncRps} | ${a.acceptedOverSync ?? '–'} | ${a.deliveredPerSec} | ` +
        `${a.p50Ms} / ${a.syncP50Ms} | ${a.p99Ms} / ${a.syncP99Ms} | ${a.errors} | ${a.undelivered} |`,
    );
  }
  const q = report.acceptance;
  if (q) {
    lines.push(
      '',
      '| acceptance alone, same work (queued row + BullMQ add, no worker) | ours accepted/s | baseline accepted/s | ours ÷ baseline | p50 ms (ours / base) | p99 ms (ours / base) | errors (ours / base) | server CPU ms/req (ours / base) |',
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      `| POST /messaging/sms, Prefer: respond-async | ${q.rps} | ${q.baseline.rps} | ${q.ratio ?? '–'} (goal ${q.goal}: ${q.ratio !== null && q.ratio >= q.goal ? 'met' : 'missed'}) | ` +
        `${q.p50Ms} / ${q.baseline.p50Ms} | ${q.p99Ms} / ${q.baseline.p99Ms} | ${q.errors} / ${q.baseline.errors} | ${q.cpuMsPerRequest} / ${q.baseline.cpuMsPerRequest} |`,
    );
  }
  const b = report.baseline;
  lines.push(
    '',
    `Cold start to first healthy answer: ours ${report.startupMs} ms, baseline ${b.startupMs} ms, hello ${report.ceilingStartupMs ?? '–'} ms. ` +
      `Idle RSS: ours ${report.idleRssMb} MB, baseline ${b.idleRssMb} MB.`,
    `Machine: ${report.machine.cores} cores (${report.machine.cpu}), ${report.machine.memoryGiB} GiB, Node ${report.machine.node}, ` +
      `${report.machine.database}. Load average (1 min) before: ${report.loadAverage.before}, during: mean ${report.loadAverage.mean}, max ${report.loadAverage.max}.`,
    `Settings: ${report.settings.connections} connections, ${report.settings.durationSec} s per measurement after ${report.settings.warmupSec} s warm-up, ` +
      `${report.settings.rounds} round(s) per scenario (ours and baseline alternating), baseline Twilio client: ${report.settings.baselineTwilio}.`,
  );
  return lines.join('\n');
}

/** Writes the report as JSON (folders created as needed). */
export function writeReport(file, report) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** Samples the 1-minute load average every 5 s until stopped; before/mean/max. */
export function loadSampler() {
  const before = round(os.loadavg()[0], 2);
  const samples = [];
  const timer = setInterval(() => samples.push(os.loadavg()[0]), 5_000);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (samples.length === 0) samples.push(os.loadavg()[0]);
      return { before, mean: round(mean(samples), 2), max: round(Math.max(...samples), 2) };
    },
  };
}
