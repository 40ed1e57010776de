/**
 * One measurement: a scenario against one running server, loaded by
 * bench/loader.mjs in its own process, with the server's peak RSS tracked
 * and the messages that reached the SMTP / Twilio-compatible servers counted.
 */
import { spawn } from 'node:child_process';
import { callbackSmokeCheck, checkMoved, seedCallbackRows } from './callbacks.mjs';
import { benchFile } from './paths.mjs';
import { bodyOf, headersOf, scenario } from './scenarios.mjs';
import { cpuTimeMs, trackPeakRss } from './targets.mjs';

/** Which counter of the deps server grows with each successful send of a scenario. */
const DELIVERY_COUNTER = {
  email: 'smtpMessages',
  'email-template': 'smtpMessages',
  sms: 'twilioMessages',
  'sms-async': 'twilioMessages',
  whatsapp: 'twilioMessages',
};

/** The Twilio account both servers know (the fake Twilio's), which signs the callbacks. */
function twilioAccount(deps) {
  return { accountSid: deps.twilio.TWILIO_ACCOUNT_SID, authToken: deps.twilio.TWILIO_AUTH_TOKEN };
}

/** A loader that has not reported this long after its duration is stuck: it is killed and the run fails. */
const LOADER_GRACE_MS = 60_000;

/** Runs the loader process and resolves with its JSON summary. */
export function runLoader(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [benchFile('loader.mjs'), JSON.stringify(config)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), config.durationSec * 1000 + LOADER_GRACE_MS);
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1);
      if (code === 0 && line) resolve(JSON.parse(line));
      else reject(new Error(`loader ${signal ? `killed (${signal})` : `exited ${code}`}: ${err || out}`));
    });
  });
}

/**
 * Waits until the server and the database have been idle (under 5% of a
 * core) for 500 ms, at most 60 s: requests still queued when the loader
 * stopped must not spill into the next measurement.
 */
async function waitQuiet(pids) {
  const deadline = Date.now() + 60_000;
  let quietSince = Date.now();
  let last = pids.map((pid) => cpuTimeMs(pid) ?? 0);
  while (Date.now() < deadline && Date.now() - quietSince < 500) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = pids.map((pid) => cpuTimeMs(pid) ?? 0);
    const busy = now.some((ms, i) => ms - last[i] > 5);
    if (busy) quietSince = Date.now();
    last = now;
  }
}

/**
 * Loads `target` with scenario `name` for `durationSec` seconds at
 * `connections`. Resolves with the loader's figures, the server's peak RSS
 * and, for sends, how many messages the providers received meanwhile.
 */
export async function measure(target, name, { connections, durationSec, token, run, deps, dbPid, dbUri, callbackRows }) {
  const signed = scenario(name).signed === true;
  // Callbacks: one `sent` row per request to come (same count for both servers), seeded before the clock starts.
  if (signed) await seedCallbackRows(dbUri, run, callbackRows);
  const counter = DELIVERY_COUNTER[name];
  const before = counter ? (await deps.counts())[counter] : 0;
  const peak = trackPeakRss(target.pid);
  const cpuBefore = cpuTimeMs(target.pid);
  let result;
  try {
    const twilio = signed ? twilioAccount(deps) : undefined;
    result = await runLoader({ url: target.url, scenario: name, connections, durationSec, token, run, twilio });
  } finally {
    result = { ...result, peakRssMb: round(peak.stop()) };
  }
  // Requests still in flight when the loader stopped finish now, before anything else is measured.
  await waitQuiet([target.pid, ...(dbPid ? [dbPid] : [])]);
  // The server's own CPU per request, its cost even when the database is the bottleneck: CPU
  // until the last request finished, over the requests answered in time plus the one each
  // connection still had in flight at the stop.
  const cpuMs = cpuTimeMs(target.pid) - cpuBefore;
  const processed = result.requests + connections;
  result.cpuMsPerRequest = round(cpuMs / processed, 2);
  if (counter) result.delivered = (await deps.counts())[counter] - before;
  // A 204 that moved no row would be measuring nothing: fail loudly instead.
  if (signed) result.moved = await checkMoved(dbUri, result, callbackRows);
  return result;
}

/**
 * One request of `name` against `target`, checked for its status (200, 202 async) and the
 * expected shape (callbacks: 204 and the row moved, bench/callbacks.mjs): proves the server is wired to its dependencies before its
 * figures are trusted. Throws with the answer otherwise.
 */
export async function smokeCheck(target, name, token, run, { deps, dbUri } = {}) {
  const { method, path, check, signed, status = 200 } = scenario(name);
  if (signed) return callbackSmokeCheck(target, twilioAccount(deps), dbUri, run);
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: headersOf(name, token),
    body: bodyOf(name, 0, run),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.status !== status || !json || !check(json)) {
    throw new Error(`smoke check of ${name} on ${target.kind} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
}

export function round(value, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
