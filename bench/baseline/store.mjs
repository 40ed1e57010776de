/**
 * The baseline's message log, straight on the MongoDB driver: the same
 * collection, row shape, indexes and status moves as the app
 * (pending → sent | failed, timestamps and the attempts list included), no
 * ODM. Like the app (src/messaging/logs/status-updates.ts), on FerretDB
 * a status move reads the row by `_id` and updates by `_id` alone, the only
 * filter FerretDB 1.x evaluates without reading every row.
 */
import { BloomFilter } from 'bloomfilter';
import { mongodbDriver } from '../paths.mjs';

const { MongoClient } = mongodbDriver();

/**
 * The app's indexes (src/messaging/logs/message-log.schema.ts, tenant first): every insert maintains
 * all of them, so the baseline builds the same ones.
 */
const INDEXES = [
  { createdAt: -1, _id: -1 },
  { tenant: 1, createdAt: -1, _id: -1 },
  { tenant: 1, channel: 1, createdAt: -1, _id: -1 },
  { tenant: 1, channel: 1, status: 1, createdAt: -1, _id: -1 },
  { tenant: 1, status: 1, createdAt: -1, _id: -1 },
  { tenant: 1, to: 1, createdAt: -1, _id: -1 },
  { tenant: 1, template: 1, createdAt: -1, _id: -1 },
  // Delivery receipts find their row by the provider's message id.
  { messageId: 1 },
  { tenant: 1, direction: 1, createdAt: -1, _id: -1 },
];

/**
 * The app's suppression list (src/messaging/consent/suppression.schema.ts) and its in-memory filter
 * (suppression-filter.ts): read in every second, a lookup only for a recipient the filter may hold.
 */
const SUPPRESSIONS = 'suppressions';
const SUPPRESSION_INDEX = { tenant: 1, channel: 1, address: 1, scope: 1 };
const EVERY_TENANT = '*';

/** What a status move reads of the row (src/messaging/logs/status-change.ts MOVED_ROW_FIELDS). */
const MOVED_ROW_FIELDS = { status: 1, error: 1, channel: 1, to: 1, messageId: 1, provider: 1 };
/** Receipt events kept per row (the newest). */
const MAX_EVENTS = 20;

const VIEW_PROJECTION = {
  channel: 1,
  to: 1,
  subject: 1,
  template: 1,
  status: 1,
  messageId: 1,
  provider: 1,
  error: 1,
  createdAt: 1,
  updatedAt: 1,
};

/** Connects, makes sure the indexes exist, and returns the log operations. */
export async function openStore(uri) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000 });
  await client.connect();
  const db = client.db();
  const logs = db.collection('message_logs');
  for (const key of INDEXES) await logs.createIndex(key);
  const suppressions = db.collection(SUPPRESSIONS);
  await suppressions.createIndex(SUPPRESSION_INDEX, { name: 'tenant_channel_address_scope_unique', unique: true });
  await suppressions.createIndex({ createdAt: 1 }, { name: 'created_at' });
  const listed = await readSuppressionsEverySecond(suppressions);
  const info = await db.admin().command({ buildInfo: 1 });
  const onlyIdEquality = typeof info.ferretdbVersion === 'string';
  const moveFromPending = async (id, change) => {
    if (!onlyIdEquality) return logs.updateOne({ _id: id, status: 'pending' }, change);
    const row = await logs.findOne({ _id: id }, { projection: { status: 1 } });
    if (row?.status === 'pending') await logs.updateOne({ _id: id }, change);
  };
  const insertRow = async (entry, status) => {
    const now = new Date();
    const { insertedId } = await logs.insertOne({ ...withoutUndefined(entry), status, createdAt: now, updatedAt: now });
    return insertedId;
  };
  const attempt = (provider, at, error) => ({ provider, at, outcome: error ? 'failed' : 'sent', ...(error ? { error } : {}) });
  return {
    /**
     * Which of `addresses` (normalised) `tenant` may not send to on `channel`: the app's ConsentGate
     * query (transactional messages: scope `all` only), one `find` with the same filter and projection
     * when the filter may hold one of them.
     */
    async suppressedAmong(tenant, channel, recipients) {
      // Normalised as the list stores them (src/messaging/consent/suppression-address.ts).
      const addresses = [...new Set(recipients.map((a) => (channel === 'email' ? a.trim().toLowerCase() : a.trim())))];
      if (!addresses.some((address) => listed.mayHold(tenant, channel, address))) return new Set();
      const filter = { tenant: { $in: [tenant, EVERY_TENANT] }, channel, address: addresses.length === 1 ? addresses[0] : { $in: addresses }, scope: { $in: ['all'] } };
      const rows = await suppressions.find(filter, { projection: { address: 1, _id: 0 } }).toArray();
      return new Set(rows.map((row) => row.address));
    },
    async createPending(entry) {
      return insertRow(entry, 'pending');
    },
    /** A message accepted for the queue (Prefer: respond-async): its row is `queued`. */
    async createQueued(entry) {
      return insertRow(entry, 'queued');
    },
    /** The queue refused the job: the row says nothing was sent (the app's failWaiting). */
    async failQueued(id, error) {
      await logs.updateOne({ _id: id }, { $set: { status: 'failed', error, updatedAt: new Date() } });
    },
    async markSent(id, messageId, provider, at) {
      const now = new Date();
      await moveFromPending(id, {
        $set: { status: 'sent', messageId, provider, updatedAt: now },
        $push: { attempts: { $each: [attempt(provider, at)] } },
      });
    },
    async markFailed(id, error, provider, at) {
      const now = new Date();
      await moveFromPending(id, {
        $set: { status: 'failed', error, provider, updatedAt: now },
        $push: { attempts: { $each: [attempt(provider, at, error)] } },
      });
    },
    /**
     * A delivery receipt, as DeliveryReceipts.apply does it: the row by messageId, then moved
     * from one of `from` only, with the event pushed. On FerretDB read by `_id`, check, update
     * by `_id` (as moveFromPending); on MongoDB one conditional findOneAndUpdate.
     */
    async applyReceipt({ messageId, status, providerStatus, errorCode }, from, at = new Date()) {
      if (from.length === 0) return 'unchanged';
      const row = await logs.findOne({ messageId }, { projection: { _id: 1 } });
      if (!row) return 'unknown';
      const event = { status, providerStatus, at, ...(errorCode === undefined ? {} : { errorCode }) };
      const failed = status === 'undelivered' || status === 'failed';
      const error = { code: 'SEND_FAILED', message: `the provider reported error ${errorCode}`, ...(errorCode ? { providerCode: errorCode } : {}) };
      const change = {
        $set: { status, updatedAt: new Date(), ...(failed ? { error } : {}) },
        $push: { events: { $each: [event], $slice: -MAX_EVENTS } },
      };
      if (!onlyIdEquality) {
        const condition = from.length === 1 ? { status: from[0] } : { $or: from.map((s) => ({ status: s })) };
        const before = await logs.findOneAndUpdate({ _id: row._id, ...condition }, change, { returnDocument: 'before' });
        return before ? 'moved' : 'unchanged';
      }
      const current = await logs.findOne({ _id: row._id }, { projection: MOVED_ROW_FIELDS });
      if (!current || !from.includes(current.status)) return 'unchanged';
      const result = await logs.updateOne({ _id: row._id }, change);
      return result.matchedCount > 0 ? 'moved' : 'unchanged';
    },
    async page(filter, { limit, offset }) {
      const unfiltered = Object.keys(filter).length === 0;
      const [rows, total] = await Promise.all([
        logs.find(filter, { projection: VIEW_PROJECTION }).sort({ createdAt: -1, _id: -1 }).skip(offset).limit(limit + 1).toArray(),
        unfiltered ? logs.estimatedDocumentCount() : logs.countDocuments(filter),
      ]);
      return { rows: rows.slice(0, limit), total, more: rows.length > limit };
    },
    async ping() {
      await db.admin().ping();
    },
    close: () => client.close(),
  };
}

function withoutUndefined(entry) {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined));
}

/** One row as the API shows it. */
export function toView(row) {
  const present = (value) => typeof value === 'string' && value.length > 0;
  return {
    _id: row._id.toHexString(),
    channel: row.channel,
    to: row.to,
    ...(present(row.subject) ? { subject: row.subject } : {}),
    ...(present(row.template) ? { template: row.template } : {}),
    status: row.status,
    ...(present(row.messageId) ? { messageId: row.messageId } : {}),
    provider: row.provider,
    ...(row.error ? { error: row.error } : {}),
    createdAt: row.createdAt.toISOString(),
    updatedAt: (row.updatedAt ?? row.createdAt).toISOString(),
  };
}

/** The app's SuppressionFilter, reduced to what the bench exercises: its smallest size, a read-in each second. */
async function readSuppressionsEverySecond(suppressions) {
  const filter = new BloomFilter(95_851, 7); // 10,000 entries at 1 % false positives
  const keyOf = (tenant, channel, address) => `${tenant}\u0000${channel}\u0000${address}`;
  let readFrom;
  const readIn = async () => {
    const startedAt = new Date();
    const since = readFrom ? { createdAt: { $gte: new Date(readFrom.getTime() - 5_000) } } : {};
    const rows = await suppressions.find(since, { projection: { tenant: 1, channel: 1, address: 1, _id: 0 } }).toArray();
    for (const row of rows) filter.add(keyOf(row.tenant, row.channel, row.address));
    readFrom = startedAt;
  };
  await readIn();
  setInterval(() => readIn().catch(() => undefined), 1_000).unref();
  return { mayHold: (tenant, channel, address) => filter.test(keyOf(tenant, channel, address)) || filter.test(keyOf(EVERY_TENANT, channel, address)) };
}
