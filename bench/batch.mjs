/**
 * The batch scenario (`npm run bench -- --batch`): the same SMS handed to our
 * app with Redis twice, side by side on one instance, order alternating per
 * round: in batches of 1,000 (`POST /messaging/sms/batch`, a few batches in
 * flight), and one per request with `Prefer: respond-async` (--connections
 * in flight). Per run: messages accepted per second (from the first request
 * to the last answer), delivered per second end to end (to the last message
 * the Twilio-compatible server received, the queue's drain included), and
 * the CPU the app, the database and Redis spent per accepted message. Then
 * the batches once more on an instance without workers: the acceptance alone.
 * Each message counts against the rate limit, as by default
 * (THROTTLE_COUNT_BATCH_MESSAGES).
 */
import fs from 'node:fs';
import path from 'node:path';
import { startRedis, waitDelivered } from './async.mjs';
import { packageRoot } from './paths.mjs';
import { formatSummary, summarizeProfile } from './profile-summary.mjs';
import { trimToSeed } from './deps.mjs';
import { round } from './measure.mjs';
import { cpuTimeMs, startTarget } from './targets.mjs';

const BATCH_SIZE = 1_000;

const smsOf = (run, i) => ({ to: `+1555${String(i).padStart(7, '0')}`, body: `bench ${run} ${i}` });

/** Runs `count` tasks with `concurrency` in flight; each task resolves to an HTTP status. */
async function pool(count, concurrency, task) {
  const statuses = [];
  let next = 0;
  const worker = async () => {
    while (next < count) statuses.push(await task(next++));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return statuses;
}

/** Sends `messages` SMS in `mode` ('batch' or 'single'); resolves with the run's figures. */
async function runOnce(target, context, mode, messages, connections, run, { drain = true, batchesInFlight = 4 } = {}) {
  const headers = { authorization: `Bearer ${context.token}`, 'content-type': 'application/json' };
  const post = async (path, body, extra = {}) => {
    const response = await fetch(`${target.url}/messaging${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });
    const answer = await response.json();
    return { status: response.status, answer };
  };
  const before = (await context.deps.counts()).twilioMessages;
  const cpuBefore = cpuTimeMs(target.pid) ?? 0;
  const sharedBefore = { db: cpuTimeMs(context.dbPid), redis: cpuTimeMs(context.redisPid) };
  const started = Date.now();
  let accepted = 0;
  let errors = 0;
  if (mode === 'batch') {
    const batches = Math.ceil(messages / BATCH_SIZE);
    await pool(batches, batchesInFlight, async (b) => {
      const items = Array.from({ length: Math.min(BATCH_SIZE, messages - b * BATCH_SIZE) }, (_, i) => smsOf(run, b * BATCH_SIZE + i));
      const { status, answer } = await post('/sms/batch', { messages: items });
      if (status === 202) accepted += answer.accepted;
      if (status !== 202 || answer.rejected > 0) errors += status === 202 ? answer.rejected : items.length;
      return status;
    });
  } else {
    await pool(messages, connections, async (i) => {
      const { status } = await post('/sms', smsOf(run, i), { prefer: 'respond-async' });
      if (status === 202) accepted++;
      else errors++;
      return status;
    });
  }
  const acceptedAt = Date.now();
  const cpuMs = (cpuTimeMs(target.pid) ?? 0) - cpuBefore;
  // The database's and Redis' CPU over the same window: with the app's, what the machine spent per message.
  const sharedMs = (name, pid) => (sharedBefore[name] === undefined ? undefined : (cpuTimeMs(pid) ?? 0) - sharedBefore[name]);
  const perMessage = (ms) => (ms !== undefined && accepted > 0 ? round(ms / accepted, 3) : null);
  const dbCpuMs = sharedMs('db', context.dbPid);
  const redisCpuMs = sharedMs('redis', context.redisPid);
  const drained = drain ? await waitDelivered(context.deps, before, accepted) : { at: acceptedAt, delivered: 0 };
  return {
    mode,
    messages,
    accepted,
    errors,
    acceptedPerSec: round(accepted / ((acceptedAt - started) / 1000), 1),
    cpuMsPerMessage: perMessage(cpuMs),
    dbCpuMsPerMessage: perMessage(dbCpuMs),
    redisCpuMsPerMessage: perMessage(redisCpuMs),
    delivered: drained.delivered,
    deliveredPerSec: round(drained.delivered / ((drained.at - started) / 1000), 1),
    drainTimedOut: drained.timedOut === true,
  };
}

const meanOf = (list, key, digits = 1) => round(list.reduce((sum, r) => sum + (r[key] ?? 0), 0) / list.length, digits);

/** The mean figures of a mode's runs. */
function summary(list) {
  return {
    acceptedPerSec: meanOf(list, 'acceptedPerSec'),
    deliveredPerSec: meanOf(list, 'deliveredPerSec'),
    cpuMsPerMessage: meanOf(list, 'cpuMsPerMessage', 3),
    dbCpuMsPerMessage: meanOf(list, 'dbCpuMsPerMessage', 3),
    redisCpuMsPerMessage: meanOf(list, 'redisCpuMsPerMessage', 3),
    errors: list.reduce((sum, r) => sum + r.errors, 0),
    undelivered: list.reduce((sum, r) => sum + Math.max(0, r.accepted - r.delivered), 0),
  };
}

const logRun = (log, label, r) =>
  log(
    `${label} ${String(r.acceptedPerSec).padStart(8)} accepted/s  CPU ms a message: app ${r.cpuMsPerMessage}, ` +
      `database ${r.dbCpuMsPerMessage}, redis ${r.redisCpuMsPerMessage}  errors ${r.errors}` +
      (r.delivered > 0 ? `  delivered ${r.delivered}/${r.accepted} at ${r.deliveredPerSec}/s end to end${r.drainTimedOut ? ' (drain TIMED OUT)' : ''}` : ''),
  );

/**
 * Rounds of (batch, single) on one instance with REDIS_URL and its workers, then the batches again on an
 * instance without workers (QUEUE_WORKERS=false): the acceptance alone, as an API tier apart from the
 * worker tier runs it, with no delivery taking CPU from it. Resolves with the summary for the report.
 */
export async function compareBatch(spec, options, context, log) {
  const redis = await startRedis();
  const shared = { ...context, redisPid: redis.pid };
  const env = { ...spec.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-batch-${context.runId}` };
  let target;
  try {
    target = await startTarget('ours', { ...spec, env });
    const runs = { batch: [], single: [], acceptance: [] };
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      const order = roundIndex % 2 === 0 ? ['batch', 'single'] : ['single', 'batch'];
      for (const mode of order) {
        await trimToSeed(context.dbUri);
        const r = await runOnce(target, shared, mode, options.batchMessages, options.connections, `${context.runId}-${mode[0]}${roundIndex}`, {
          batchesInFlight: options.batchesInFlight,
        });
        runs[mode].push(r);
        logRun(log, mode === 'batch' ? 'sms/batch (1,000 a request)' : 'sms, Prefer: respond-async  ', r);
      }
    }
    await target.stop();
    // Its own key prefix: the jobs it queues stay in Redis, and no worker takes them.
    const apiOnlyEnv = { ...env, QUEUE_WORKERS: 'false', REDIS_KEY_PREFIX: `bench-batch-${context.runId}-api` };
    target = await startTarget('ours', { ...spec, env: apiOnlyEnv });
    for (let roundIndex = 0; roundIndex < options.rounds; roundIndex++) {
      await trimToSeed(context.dbUri);
      const r = await runOnce(target, shared, 'batch', options.batchMessages, 1, `${context.runId}-a${roundIndex}`, {
        drain: false,
        batchesInFlight: options.batchesInFlight,
      });
      runs.acceptance.push(r);
      logRun(log, 'sms/batch, no workers        ', r);
    }
    const batch = summary(runs.batch);
    const single = summary(runs.single);
    return {
      messages: options.batchMessages,
      batch,
      single,
      acceptance: summary(runs.acceptance),
      acceptedRatio: single.acceptedPerSec > 0 ? round(batch.acceptedPerSec / single.acceptedPerSec, 1) : null,
      runs: [...runs.batch, ...runs.single, ...runs.acceptance],
    };
  } finally {
    if (target) await target.stop();
    await redis.stop();
  }
}

/** The batch figures as a Markdown table. */
export function batchTable(report) {
  const machineMs = (r) => round((r.cpuMsPerMessage ?? 0) + (r.dbCpuMsPerMessage ?? 0) + (r.redisCpuMsPerMessage ?? 0), 3);
  const row = (label, r, delivery = true) =>
    `| ${label} | ${r.acceptedPerSec} | ${delivery ? r.deliveredPerSec : '–'} | ${r.cpuMsPerMessage} | ${r.dbCpuMsPerMessage} | ` +
    `${r.redisCpuMsPerMessage} | ${machineMs(r)} | ${r.errors} | ${delivery ? r.undelivered : '–'} |`;
  return [
    `${report.messages} SMS per run, with Redis; CPU per accepted message over the acceptance (first request to last answer):`,
    '',
    '| mode | accepted messages/s | delivered messages/s end to end | app CPU ms | database CPU ms | Redis CPU ms | together | errors | undelivered |',
    '|---|---|---|---|---|---|---|---|---|',
    row('`POST /messaging/sms/batch`, 1,000 a request, workers in the API process', report.batch),
    row('`POST /messaging/sms`, `Prefer: respond-async`, one a request, same instance', report.single),
    ...(report.acceptance ? [row('`POST /messaging/sms/batch`, 1,000 a request, no workers (`QUEUE_WORKERS=false`)', report.acceptance, false)] : []),
    '',
    `Accepted, batch ÷ one per request: ${report.acceptedRatio ?? '–'}`,
  ].join('\n');
}

/**
 * `--batch --profile-batch`: the API alone (QUEUE_WORKERS=false, so the workers' CPU is not in it)
 * under node --cpu-prof, accepting --batch-messages SMS in batches; prints the top self-time functions.
 */
export async function profileBatch(spec, options, context, log) {
  const dir = path.join(packageRoot(), '.local', 'bench', 'profiles', `batch-${context.runId}`);
  fs.mkdirSync(dir, { recursive: true });
  const redis = await startRedis();
  const env = { ...spec.env, REDIS_URL: redis.url, REDIS_KEY_PREFIX: `bench-batch-${context.runId}`, QUEUE_WORKERS: 'false' };
  const target = await startTarget('ours', { ...spec, env, nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${dir}`] });
  let result;
  try {
    const counts = async () => ({ twilioMessages: 0 });
    result = await runOnce(target, { ...context, deps: { counts } }, 'batch', options.batchMessages, 1, context.runId, {
      drain: false,
      batchesInFlight: options.batchesInFlight,
    });
  } finally {
    await target.stop();
    await redis.stop();
  }
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}:\n${target.output()}`);
  log(`batch under --cpu-prof: ${result.acceptedPerSec} accepted/s, ${result.cpuMsPerMessage} ms CPU a message, errors ${result.errors}`);
  process.stdout.write(`profile: ${path.join(dir, file)}\n\n${formatSummary(summarizeProfile(path.join(dir, file)))}\n`);
}
