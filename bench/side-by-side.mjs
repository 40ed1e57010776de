/**
 * Two variants of our app, side by side on the same dependencies: both started once, then each send
 * scenario measured in alternating order per round (A B, B A, ...), so both see the same machine and
 * drift cancels out. Used by `--metrics` (metrics off and on) and `--versus` (this build and another).
 */
import { trimToSeed } from './deps.mjs';
import { measure, round, smokeCheck } from './measure.mjs';
import { startTarget } from './targets.mjs';

/** The send scenarios: the ones whose cost these comparisons are about. */
export const SEND_SCENARIOS = ['email', 'sms', 'whatsapp', 'email-template'];

export const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * `variants` is `{ [label]: spec }` with exactly two entries (spec as startTarget takes it). Resolves to
 * one row per scenario: `rps` and `cpuMs` per label (means over the rounds), `ratio` = second ÷ first
 * (req/s), `pairRatios` = that ratio per round, and `errors`.
 */
export async function sideBySide(variants, options, context, log) {
  const labels = Object.keys(variants);
  if (labels.length !== 2) throw new Error('sideBySide compares exactly two variants');
  const scenarios = options.scenarios.filter((name) => SEND_SCENARIOS.includes(name));
  const targets = {};
  const rows = [];
  try {
    for (const label of labels) targets[label] = await startTarget('ours', variants[label]);
    for (const [index, name] of scenarios.entries()) {
      for (const label of labels) await smokeCheck(targets[label], name, context.token, `smoke-${label}`);
      const runs = Object.fromEntries(labels.map((label) => [label, []]));
      for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
        const order = (roundIndex + index) % 2 === 0 ? labels : [...labels].reverse();
        for (const label of order) {
          await trimToSeed(context.dbUri);
          const settings = { connections: options.connections, token: context.token, deps: context.deps, dbPid: context.dbPid };
          const run = `${context.runId}-${label}${roundIndex}`;
          if (options.warmupSec > 0) await measure(targets[label], name, { ...settings, durationSec: options.warmupSec, run: `${run}w` });
          const result = await measure(targets[label], name, { ...settings, durationSec: options.durationSec, run });
          runs[label].push(result);
          log(`${name.padEnd(15)} ${label.padEnd(8)} ${result.rps.toFixed(1).padStart(7)} req/s  cpu ${result.cpuMsPerRequest} ms/req  errors ${result.errors}`);
        }
      }
      const rps = Object.fromEntries(labels.map((label) => [label, round(mean(runs[label].map((r) => r.rps)))]));
      const cpuMs = Object.fromEntries(labels.map((label) => [label, round(mean(runs[label].map((r) => r.cpuMsPerRequest)), 2)]));
      const errors = labels.flatMap((label) => runs[label]).reduce((sum, r) => sum + r.errors, 0);
      // Each round measures both back to back, so the ratio of a pair is freer of the machine's drift
      // than the ratio of the means; the spread of the pairs says how far one figure can be trusted.
      const pairRatios = runs[labels[1]].map((second, i) => round(second.rps / runs[labels[0]][i].rps, 3));
      rows.push({ scenario: name, rps, cpuMs, ratio: round(rps[labels[1]] / rps[labels[0]], 3), pairRatios, errors });
    }
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
  }
  return rows;
}

/** The rows as a Markdown table, `ratio` headed by what it means. */
export function sideBySideTable(rows, [first, second], ratioTitle) {
  return [
    `| scenario | req/s ${first} | req/s ${second} | ${ratioTitle} | per round | CPU ms/req ${first} | CPU ms/req ${second} | errors |`,
    '|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.scenario} | ${r.rps[first]} | ${r.rps[second]} | ${r.ratio} | ${r.pairRatios.join(', ')} | ${r.cpuMs[first]} | ${r.cpuMs[second]} | ${r.errors} |`,
    ),
  ].join('\n');
}
