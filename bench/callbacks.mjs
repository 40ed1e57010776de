/**
 * The `callbacks` scenario: Twilio status callbacks (POST
 * /messaging/webhooks/twilio/status), each signed with the twilio SDK's own
 * getExpectedTwilioSignature for the URL built from PUBLIC_BASE_URL, as
 * test/helpers/twilio-status-callbacks.ts does. Request number n of run `run`
 * reports `delivered` for its own row (MessageSid derived from run and n),
 * seeded `sent` before the measurement, so every request makes a real
 * forward move and none is a duplicate.
 */
import { createHash } from 'node:crypto';
import twilio from 'twilio';
import { mongodbDriver } from './paths.mjs';

/** Where Twilio reaches both servers: the origin only matters to the signature, nothing connects to it. */
export const BENCH_PUBLIC_BASE_URL = 'https://bench.example.com';
export const CALLBACK_PATH = '/messaging/webhooks/twilio/status';
const SIGNED_URL = `${BENCH_PUBLIC_BASE_URL}${CALLBACK_PATH}`;
/** Marks the callback rows, so each measurement removes the previous one's and the logs scenario never sees them. */
export const CALLBACK_MARK = 'bench-callbacks';

/** A Twilio-shaped MessageSid (SM + 32 hex), distinct per run and request number. */
export function messageSidOf(run, n) {
  return `SM${createHash('md5').update(`${run}:${n}`).digest('hex')}`;
}

/** Headers and form body of callback number `n` of `run`, signed with `twilioAccount`'s token. */
export function signedCallback(n, run, { accountSid, authToken }) {
  const sid = messageSidOf(run, n);
  const fields = {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: sid,
    SmsSid: sid,
    MessageStatus: 'delivered',
    SmsStatus: 'delivered',
    From: '+15005550006',
    To: `+1555${String(n % 10_000_000).padStart(7, '0')}`,
  };
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, SIGNED_URL, fields),
    },
    body: new URLSearchParams(fields).toString(),
  };
}

async function withLogs(dbUri, work) {
  const { MongoClient } = mongodbDriver();
  const client = new MongoClient(dbUri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    return await work(client.db().collection('message_logs'));
  } finally {
    await client.close();
  }
}

/**
 * Replaces the callback rows of earlier measurements with `count` `sent` SMS
 * rows for `run` (request numbers 0 to count-1), shaped as the app writes them.
 */
export async function seedCallbackRows(dbUri, run, count) {
  await withLogs(dbUri, async (logs) => {
    await logs.deleteMany({ requestedBy: CALLBACK_MARK });
    const at = new Date();
    const rows = Array.from({ length: count }, (_, n) => ({
      channel: 'sms',
      to: `+1555${String(n % 10_000_000).padStart(7, '0')}`,
      status: 'sent',
      messageId: messageSidOf(run, n),
      provider: 'twilio',
      requestedBy: CALLBACK_MARK,
      attempts: [{ provider: 'twilio', at, outcome: 'sent' }],
      createdAt: at,
      updatedAt: at,
    }));
    for (let i = 0; i < rows.length; i += 1000) await logs.insertMany(rows.slice(i, i + 1000), { ordered: false });
  });
}

/** How many seeded rows (all of the latest seeding's run) a callback moved to `delivered` with its one event. */
export async function movedRows(dbUri) {
  return withLogs(dbUri, async (logs) => {
    const rows = await logs.find({ requestedBy: CALLBACK_MARK }, { projection: { status: 1, events: 1 } }).toArray();
    return rows.filter((r) => r.status === 'delivered' && r.events?.length === 1).length;
  });
}

/**
 * One signed callback to `target` for a freshly seeded row: it must answer 204 and the row must
 * have moved to `delivered` with one event. Anything else (a 403 from a signature or URL mismatch,
 * a 204 that wrote nothing) throws, so the benchmark cannot measure refusals or no-ops.
 */
export async function callbackSmokeCheck(target, twilioAccount, dbUri, run) {
  await seedCallbackRows(dbUri, run, 1);
  const { headers, body } = signedCallback(0, run, twilioAccount);
  const response = await fetch(`${target.url}${CALLBACK_PATH}`, { method: 'POST', headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  if (response.status !== 204) {
    throw new Error(`smoke check of callbacks on ${target.kind} failed: HTTP ${response.status} ${text.slice(0, 500)}`);
  }
  const moved = await movedRows(dbUri);
  if (moved !== 1) throw new Error(`smoke check of callbacks on ${target.kind} failed: answered 204 but the row did not move to delivered`);
}

/** Throws unless every callback answered in time moved its row (more may have: those still in flight at the stop). */
export async function checkMoved(dbUri, result, seeded) {
  const moved = await movedRows(dbUri);
  if (moved < result.ok) {
    const hint = result.sent > seeded ? ` (${result.sent} sent, only ${seeded} rows seeded: raise --callback-rows)` : '';
    throw new Error(`callbacks: ${result.ok} answered 2xx but only ${moved} rows moved${hint}`);
  }
  return moved;
}
