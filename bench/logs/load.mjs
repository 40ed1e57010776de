/** Bulk loading of the benchmark rows with the MongoDB driver (mongoose's bundled one). */
import mongoose from 'mongoose';
import { rowBatches } from './rows.mjs';

const { MongoClient } = mongoose.mongo;
const BATCH_SIZE = 5_000;
/** Batches in flight at once: enough to keep the server busy on a 2-core machine. */
const PARALLEL_BATCHES = 2;
/** Marks a complete load, so --reuse never trusts a half-loaded collection. */
const META_COLLECTION = 'bench_meta';

/**
 * Makes the bench database hold exactly `rows` generated rows: reused as is
 * with --reuse when a previous run completed the same load, otherwise the
 * database is dropped and reloaded (indexes are left to the app, which
 * creates them at startup, as in production).
 */
export async function loadRows(uri, { rows, reuse }) {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
  try {
    const db = client.db();
    const server = await describeServer(db);
    const previous = await db.collection(META_COLLECTION).findOne({ _id: 'load' });
    if (reuse && previous?.rows === rows) {
      console.log(`Reusing ${rows.toLocaleString('en-US')} rows loaded ${previous.loadedAt.toISOString()}`);
      return { server, stats: { ...previous.stats, reused: true } };
    }
    await db.dropDatabase();
    const stats = await insertAll(db.collection('message_logs'), rows);
    await db.collection(META_COLLECTION).insertOne({ _id: 'load', rows, stats, loadedAt: new Date() });
    return { server, stats: { ...stats, reused: false } };
  } finally {
    await client.close();
  }
}

async function insertAll(collection, rows) {
  const started = Date.now();
  const batches = rowBatches(rows, BATCH_SIZE);
  let inserted = 0;
  let nextReport = rows / 10;
  const worker = async () => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      await collection.insertMany(next.value, { ordered: false });
      inserted += next.value.length;
      if (inserted >= nextReport) {
        console.log(`  loaded ${inserted.toLocaleString('en-US')} rows in ${((Date.now() - started) / 1000).toFixed(1)}s`);
        nextReport += rows / 10;
      }
    }
  };
  console.log(`Loading ${rows.toLocaleString('en-US')} rows in batches of ${BATCH_SIZE}...`);
  await Promise.all(Array.from({ length: PARALLEL_BATCHES }, worker));
  const seconds = (Date.now() - started) / 1000;
  console.log(`Loaded ${inserted.toLocaleString('en-US')} rows in ${seconds.toFixed(1)}s`);
  return { seconds: Math.round(seconds * 10) / 10, rowsPerSecond: Math.round(inserted / seconds) };
}

/** What answered: FerretDB says so in buildInfo. */
async function describeServer(db) {
  const info = await db.admin().command({ buildInfo: 1 });
  const ferret = info.ferretdbVersion ?? info.ferretdb?.version;
  return ferret !== undefined
    ? { kind: 'FerretDB', version: String(ferret), compatibleWith: info.version }
    : { kind: 'MongoDB', version: info.version };
}
