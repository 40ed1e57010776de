/**
 * Realistic message log rows for the benchmark, generated deterministically
 * (same seed, same rows) and in chronological order, as the service writes
 * them: a year of traffic, mostly email, a few failures, recipients with a
 * long-tailed popularity (a few get many messages, most get a handful), some
 * emails to several addresses, templates for part of the email traffic.
 */
import mongoose from 'mongoose';

const { ObjectId } = mongoose.mongo;

/** The year the rows span: [WINDOW_START, WINDOW_END). */
export const WINDOW_START = Date.parse('2025-01-01T00:00:00Z');
export const WINDOW_END = Date.parse('2026-01-01T00:00:00Z');

export const TEMPLATES = ['welcome', 'password-reset', 'invoice', 'order-shipped', 'weekly-digest'];
const SERVICES = ['billing', 'auth', 'orders', 'marketing'];
const EMAIL_RECIPIENTS = 50_000;
const PHONE_RECIPIENTS = 30_000;

/** The most frequent email recipient (rank 0 of the long tail): the "a recipient" scenario. */
export const HOT_RECIPIENT = emailAddress(0);

/** mulberry32: small, fast, good enough for test data. */
function prng(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function emailAddress(rank) {
  return `user${rank}@example.com`;
}

function phoneNumber(rank) {
  return `+1555${String(rank).padStart(7, '0')}`;
}

/** Long-tailed rank in [0, size): rank r is picked about 1/(r+1) as often as rank 0. */
function popularRank(random, size) {
  return Math.min(size - 1, Math.floor(Math.exp(random() * Math.log(size + 1)) - 1));
}

function hex(random, bytes) {
  let out = '';
  for (let i = 0; i < bytes; i++) out += Math.floor(random() * 256).toString(16).padStart(2, '0');
  return out;
}

/** An ObjectId whose timestamp is the row's creation second, like a driver-made one. */
function objectIdAt(random, millis) {
  const seconds = Math.floor(millis / 1000).toString(16).padStart(8, '0');
  return new ObjectId(seconds + hex(random, 8));
}

function pick(random, weighted) {
  let roll = random();
  for (const [value, weight] of weighted) {
    if ((roll -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1][0];
}

function emailFields(random) {
  const to =
    random() < 0.05
      ? [emailAddress(popularRank(random, EMAIL_RECIPIENTS)), emailAddress(popularRank(random, EMAIL_RECIPIENTS))]
      : emailAddress(popularRank(random, EMAIL_RECIPIENTS));
  const template = random() < 0.4 ? TEMPLATES[Math.floor(random() * TEMPLATES.length)] : undefined;
  return { to, subject: template ? `Your ${template.replace('-', ' ')}` : 'Hello from FluxKit', template, provider: 'smtp' };
}

function statusFields(random, channel) {
  const status = pick(random, [['sent', 0.93], ['failed', 0.05], ['pending', 0.02]]);
  if (status === 'sent') {
    const messageId = channel === 'email' ? `<${hex(random, 12)}@mail.example.com>` : `SM${hex(random, 16)}`;
    return { status, messageId };
  }
  if (status === 'failed') {
    const [message, providerCode] =
      channel === 'email' ? ['Mailbox unavailable', '550'] : ['Unreachable destination', '30003'];
    return { status, error: { code: 'SEND_FAILED', message, providerCode } };
  }
  return { status };
}

/** One row; `index` of `count` places it in the year, oldest first. */
function makeRow(random, index, count) {
  const createdMs = Math.floor(WINDOW_START + ((index + random()) * (WINDOW_END - WINDOW_START)) / count);
  const channel = pick(random, [['email', 0.6], ['sms', 0.3], ['whatsapp', 0.1]]);
  const recipient =
    channel === 'email'
      ? emailFields(random)
      : { to: phoneNumber(popularRank(random, PHONE_RECIPIENTS)), provider: 'twilio' };
  const row = {
    _id: objectIdAt(random, createdMs),
    channel,
    ...recipient,
    ...statusFields(random, channel),
    requestedBy: SERVICES[Math.floor(random() * SERVICES.length)],
    createdAt: new Date(createdMs),
    updatedAt: new Date(createdMs + 50 + Math.floor(random() * 900)),
  };
  if (row.template === undefined) delete row.template;
  return row;
}

/** Batches of rows, oldest first. */
export function* rowBatches(count, batchSize, seed = 42) {
  const random = prng(seed);
  for (let start = 0; start < count; start += batchSize) {
    const batch = [];
    for (let i = start; i < Math.min(count, start + batchSize); i++) batch.push(makeRow(random, i, count));
    yield batch;
  }
}
