/**
 * The asynchronous scenario: `POST /messaging/sms` with `Prefer: respond-async`
 * against our app with a Redis (BullMQ queue, workers in the API process),
 * side by side with the synchronous `sms` scenario on the same instance. The
 * bare Fastify baseline has no queue, so the comparison here is async ÷ sync.
 *
 * Two figures per async run: accepted per second (202 answers, what a client
 * sees) and delivered per second end to end (from the first request to the
 * last message the Twilio-compatible server received, so the queue's drain is
 * included). compareAcceptance then sets acceptance alone against the
 * baseline doing the same insert and queue add.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import services from '../scripts/local-services.cjs';
import { trimToSeed } from './deps.mjs';
import { measure, round, runLoader, smokeCheck } from './measure.mjs';
import { ASYNC_SCENARIO } from './scenarios.mjs';
import { startTarget } from './targets.mjs';

/** A drain slower than this is reported as a failure instead of waiting forever. */
const DRAIN_TIMEOUT_MS = 300_000;
const POLL_MS = 50;

/** A throwaway redis-server on a free loopback port (nothing persisted). */
export async function startRedis() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxkit-bench-redis-'));
  const handle = await services.ensureRedis({
    port: await services.findFreePort(),
    ignoreEnv: true,
    dataDir,
    logPath: path.join(dataDir, 'redis.log'),
    record: false,
  });
  return {
    url: handle.url,
    pid: handle.pid,
    stop: async () => {
      await services.stopStarted([handle]);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Resolves with the time (performance-style ms) at which `want` more messages than `before` had arrived. */
export async function waitDelivered(deps, before, want) {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const delivered = (await deps.counts()).twilioMessages - before;
    if (delivered >= want) return { at: Date.now(), delivered };
    if (Date.now() > deadline) return { at: Date.now(), delivered, timedOut: true };
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** One async measurement: load for `durationSec`, then wait until every accepted message was delivered. */
async function measureOnce(target, settings, run) {
  const before = (await settings.deps.counts()).twilioMessages;
  const started = Date.now();
  const result = await runLoader({
    url: target.url,
    scenario: ASYNC_SCENARIO,
    connections: settings.connections,
    durationSec: settings.durationSec,
    token: settings.token,
    run,
  });
  const drained = await waitDelivered(settings.deps, before, result.ok);
  const totalSec = (drained.at - started) / 1000;
  return {
    ...result,
    delivered: drained.delivered,
    drainTimedOut: drained.timedOut === true,
    drainSec: round((drained.at - started) / 1000 - result.durationSec, 1),
    deliveredPerSec: round(drained.delivered / totalSec, 1),
  };
}

/**
 * Rounds of (sync sms, async sms) on one instance with REDIS_URL, order
 * alternating. Resolves with the summary kept in bench/results/latest.json.
 */
export async function compareAsync(spec, options, context, log) {
  const redis = await startRedis();
  const env = { ...spec.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-${context.runId}` };
  let target;
  try {
    target = await startTarget('ours', { ...spec, env });
    const beforeSmoke = (await context.deps.counts()).twilioMessages;
    await smokeCheck(target, ASYNC_SCENARIO, context.token, `smoke-async-${context.runId}`);
    await smokeCheck(target, 'sms', context.token, `smoke-sync-${context.runId}`);
    // The queued smoke message must be out before a measurement counts deliveries.
    const smoke = await waitDelivered(context.deps, beforeSmoke, 2);
    if (smoke.timedOut) throw new Error('the queued smoke-check message was never delivered');
    const settings = { connections: options.connections, durationSec: options.durationSec, token: context.token, deps: context.deps };
    const syncRuns = [];
    const asyncRuns = [];
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      const order = roundIndex % 2 === 0 ? ['sync', 'async'] : ['async', 'sync'];
      for (const mode of order) {
        await trimToSeed(context.dbUri);
        const run = `${context.runId}-a${mode[0]}${roundIndex}`;
        if (mode === 'sync') {
          const r = await measure(target, 'sms', { ...settings, run, dbPid: context.dbPid });
          syncRuns.push(r);
          log(`sms (sync, with Redis)       ${r.rps.toFixed(1).padStart(7)} req/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors}`);
        } else {
          const r = await measureOnce(target, settings, run);
          asyncRuns.push(r);
          log(
            `sms (Prefer: respond-async)  ${r.rps.toFixed(1).padStart(7)} accepted/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors}  ` +
              `delivered ${r.delivered}/${r.ok} at ${r.deliveredPerSec}/s end to end (drain ${r.drainSec} s${r.drainTimedOut ? ', TIMED OUT' : ''})`,
          );
        }
      }
    }
    return summarizeAsync(syncRuns, asyncRuns);
  } finally {
    if (target) await target.stop();
    await redis.stop();
  }
}

const mean = (values) => values.reduce((sum, v) => sum + v, 0) / values.length;

/**
 * Acceptance alone, against the baseline doing the same work (issue #16): `Prefer: respond-async` on
 * ours with QUEUE_WORKERS=false and on the baseline (bench/baseline/queue.mjs), both on the same Redis
 * under their own key prefixes, in alternating order per round. Per request both check the token,
 * validate, look the recipient up on the suppression list, insert the `queued` row and add the BullMQ
 * job; neither delivers, so no worker's CPU is counted. Resolves with ours ÷ baseline.
 */
export async function compareAcceptance(spec, options, context, log) {
  const redis = await startRedis();
  const redisEnv = (who) => ({ ...spec.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-${context.runId}-${who}` });
  const targets = {};
  try {
    targets.ours = await startTarget('ours', { ...spec, env: { ...redisEnv('ours'), QUEUE_WORKERS: 'false' } });
    targets.baseline = await startTarget('baseline', { ...spec, env: redisEnv('baseline') });
    for (const target of Object.values(targets)) await smokeCheck(target, ASYNC_SCENARIO, context.token, `smoke-accept-${target.kind}`);
    const settings = { connections: options.connections, token: context.token, deps: context.deps, dbPid: context.dbPid, dbUri: context.dbUri };
    const runs = { ours: [], baseline: [] };
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      const order = roundIndex % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
      for (const kind of order) {
        await trimToSeed(context.dbUri);
        const run = `${context.runId}-q${kind[0]}${roundIndex}`;
        if (options.warmupSec > 0) await measure(targets[kind], ASYNC_SCENARIO, { ...settings, durationSec: options.warmupSec, run: `${run}w` });
        const r = await measure(targets[kind], ASYNC_SCENARIO, { ...settings, durationSec: options.durationSec, run });
        runs[kind].push(r);
        log(`accept (respond-async) ${kind.padEnd(8)} ${r.rps.toFixed(1).padStart(7)} accepted/s  p50 ${r.p50Ms} ms  p99 ${r.p99Ms} ms  errors ${r.errors}  cpu ${r.cpuMsPerRequest} ms/req`);
      }
    }
    const figures = (list) => ({
      rps: round(mean(list.map((r) => r.rps)), 1),
      p50Ms: round(mean(list.map((r) => r.p50Ms)), 1),
      p99Ms: round(mean(list.map((r) => r.p99Ms)), 1),
      errors: list.reduce((sum, r) => sum + r.errors, 0),
      cpuMsPerRequest: round(mean(list.map((r) => r.cpuMsPerRequest)), 2),
      peakRssMb: round(Math.max(...list.map((r) => r.peakRssMb)), 0),
    });
    const ours = figures(runs.ours);
    const baseline = figures(runs.baseline);
    return { ...ours, baseline, ratio: baseline.rps > 0 ? round(ours.rps / baseline.rps, 2) : null, goal: 0.85 };
  } finally {
    await Promise.all(Object.values(targets).map((target) => target.stop()));
    await redis.stop();
  }
}

function summarizeAsync(syncRuns, asyncRuns) {
  const acceptedRps = mean(asyncRuns.map((r) => r.rps));
  const syncRps = mean(syncRuns.map((r) => r.rps));
  return {
    name: ASYNC_SCENARIO,
    acceptedRps: round(acceptedRps, 1),
    deliveredPerSec: round(mean(asyncRuns.map((r) => r.deliveredPerSec)), 1),
    syncRps: round(syncRps, 1),
    acceptedOverSync: syncRps > 0 ? round(acceptedRps / syncRps, 2) : null,
    p50Ms: round(mean(asyncRuns.map((r) => r.p50Ms)), 1),
    p99Ms: round(mean(asyncRuns.map((r) => r.p99Ms)), 1),
    syncP50Ms: round(mean(syncRuns.map((r) => r.p50Ms)), 1),
    syncP99Ms: round(mean(syncRuns.map((r) => r.p99Ms)), 1),
    errors: asyncRuns.reduce((sum, r) => sum + r.errors, 0),
    undelivered: asyncRuns.reduce((sum, r) => sum + Math.max(0, r.ok - r.delivered), 0),
    runs: asyncRuns.map((r) => ({
      acceptedRps: round(r.rps, 1),
      ok: r.ok,
      delivered: r.delivered,
      deliveredPerSec: r.deliveredPerSec,
      drainSec: r.drainSec,
      errors: r.errors,
    })),
    syncRuns: syncRuns.map((r) => ({ rps: round(r.rps, 1), errors: r.errors, ok: r.ok, delivered: r.delivered })),
  };
}
