#!/usr/bin/env node
/**
 * The message log's write path alone, against a FerretDB of its own: insert a
 * `pending` row, then move it to `sent`, with the message log's indexes. The
 * figures behind docs/reliability.md ("What limited it on FerretDB").
 *
 *   node bench/log-writes.mjs explain                 # which filters FerretDB pushes down, and SQLite's plan
 *   node bench/log-writes.mjs seq  --rows 20000       # ms per insert and per status update, one at a time
 *   node bench/log-writes.mjs conc --rows 2000 --sends 3000 --pool 10 --concurrency 100
 *
 * --update guarded: updateOne({ _id, status: 'pending' }) (the MongoDB form);
 * --update by-id (default): findOne({ _id }) then updateOne({ _id }) (the FerretDB form).
 * FERRETDB_BIN picks the binary (default .local/bin/ferretdb, built when stale).
 * Bounded: gives up after --timeout seconds (default 300), printing what it has.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MongoClient, ObjectId } from 'mongodb';
import services from '../scripts/local-services.cjs';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    rows: { type: 'string', default: '2000' },
    sends: { type: 'string', default: '2000' },
    pool: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '100' },
    update: { type: 'string', default: 'by-id' },
    timeout: { type: 'string', default: '300' },
  },
});
const mode = positionals[0] ?? 'seq';
const [rows, sends, pool, concurrency] = ['rows', 'sends', 'pool', 'concurrency'].map((k) => Number(values[k]));
const loadavg = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxkit-log-writes-'));
const db = await services.ensureDatabase({
  port: await services.findFreePort(),
  ignoreEnv: true,
  dataDir: path.join(dir, 'data'),
  stateDir: path.join(dir, 'state'),
  logPath: path.join(dir, 'ferretdb.log'),
  logLevel: 'warn',
  record: false,
  parentPid: process.pid,
});
const client = await new MongoClient(db.uri, { maxPoolSize: pool }).connect();
const coll = client.db('bench').collection('message_logs');
const stop = async () => {
  await client.close();
  await services.stopProcess(db);
  fs.rmSync(dir, { recursive: true, force: true });
};
setTimeout(() => {
  console.log(`gave up after ${values.timeout} s (a hang?)`);
  void stop().finally(() => process.exit(3));
}, Number(values.timeout) * 1000).unref();

await coll.insertOne({ _id: new ObjectId() });
for (const keys of [
  { createdAt: -1, _id: -1 },
  { channel: 1, createdAt: -1, _id: -1 },
  { channel: 1, status: 1, createdAt: -1, _id: -1 },
  { status: 1, createdAt: -1, _id: -1 },
  { to: 1, createdAt: -1, _id: -1 },
  { template: 1, createdAt: -1, _id: -1 },
]) {
  await coll.createIndex(keys);
}

const row = (i, status) => ({
  _id: new ObjectId(),
  channel: ['email', 'sms', 'whatsapp'][i % 3],
  to: `r${i}@example.com`,
  subject: `s${i}`,
  status,
  provider: 'smtp',
  requestedBy: 'bench',
  createdAt: new Date(),
  updatedAt: new Date(),
});
async function fill(n) {
  for (let i = 0; i < n; i += 500) {
    await coll.insertMany(Array.from({ length: Math.min(500, n - i) }, (_, k) => row(i + k, 'sent')));
  }
}
async function finalize(id) {
  const update = { $set: { status: 'sent', messageId: 'x', updatedAt: new Date() } };
  if (values.update === 'guarded') return coll.updateOne({ _id: id, status: 'pending' }, update);
  const found = await coll.findOne({ _id: id }, { projection: { status: 1 } });
  if (found?.status !== 'pending') throw new Error('not pending');
  return coll.updateOne({ _id: id }, update);
}

if (mode === 'explain') {
  const id = new ObjectId();
  for (const filter of [{ _id: id }, { _id: id, status: 'pending' }]) {
    const res = await client.db('bench').command({ explain: { find: 'message_logs', filter }, verbosity: 'queryPlanner' });
    console.log(JSON.stringify(filter), `filterPushdown=${res.filterPushdown}`, JSON.stringify(res.queryPlanner?.Plan));
  }
} else if (mode === 'seq') {
  await fill(rows);
  const n = 200;
  let insert = 0;
  let update = 0;
  for (let i = 0; i < n; i++) {
    const doc = row(i, 'pending');
    let t = performance.now();
    await coll.insertOne(doc);
    insert += performance.now() - t;
    t = performance.now();
    await finalize(doc._id);
    update += performance.now() - t;
  }
  console.log(`seq --update ${values.update} --rows ${rows}: insert ${(insert / n).toFixed(2)} ms, status update ${(update / n).toFixed(2)} ms; load ${loadavg()}`);
} else {
  await fill(rows);
  let next = 0;
  let done = 0;
  let worst = 0;
  const errors = new Map();
  const started = performance.now();
  const worker = async () => {
    while (next < sends) {
      const i = next++;
      const t = performance.now();
      try {
        const doc = row(i, 'pending');
        await coll.insertOne(doc);
        await finalize(doc._id);
        done++;
      } catch (error) {
        const key = String(error instanceof Error ? error.message : error).slice(-100);
        errors.set(key, (errors.get(key) ?? 0) + 1);
      }
      worst = Math.max(worst, performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `conc --update ${values.update} --pool ${pool} --concurrency ${concurrency} --rows ${rows} --sends ${sends}: ` +
      `${done} ok in ${seconds.toFixed(1)} s (${Math.round(done / seconds)}/s), slowest ${(worst / 1000).toFixed(1)} s; load ${loadavg()}`,
  );
  for (const [message, count] of errors) console.log(`  ${count} x ${message}`);
}
await stop();
