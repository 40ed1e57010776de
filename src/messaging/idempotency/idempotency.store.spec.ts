import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { IDEMPOTENCY_MODEL_NAME, IdempotencyRecordSchema, type IdempotencyRecord } from './idempotency-record.schema.js';
import { IdempotencyStore } from './idempotency.store.js';

/** The store against the test database (FerretDB or MongoDB): the unique `_id` is what serializes duplicates. */
describe('IdempotencyStore', () => {
  const uri = testDatabaseUri('idempotency-store');
  let connection: Connection;
  let model: Model<IdempotencyRecord>;
  let store: IdempotencyStore;
  let ids = 0;
  const nextId = () => `id-${++ids}`;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<IdempotencyRecord>(IDEMPOTENCY_MODEL_NAME, IdempotencyRecordSchema);
    store = new IdempotencyStore(model, { routePrefix: 'messaging' });
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  it('lets exactly one of 50 concurrent claims of one key take it; the others wait for its answer', async () => {
    const id = nextId();
    const claims = Array.from({ length: 50 }, () => store.claim(id, 'fingerprint'));
    const first = await Promise.race(claims);
    if (first.kind !== 'acquired') throw new Error('the first claim to settle must be the one that took the key');
    await store.complete(first.record, { status: 200, body: '{"ok":true}' });
    const results = await Promise.all(claims);
    expect(results.filter((r) => r.kind === 'acquired')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'replay').map((r) => (r.kind === 'replay' ? r.response : undefined))).toEqual(
      Array.from({ length: 49 }, () => ({ status: 200, body: '{"ok":true}' })),
    );
    expect(await model.countDocuments({ _id: id })).toBe(1);
  });

  it('stores a completed answer with its headers, read back as written', async () => {
    const claim = await store.claim(nextId(), 'f');
    if (claim.kind !== 'acquired') throw new Error('expected the key');
    const response = { status: 202, body: '{"status":"queued"}', headers: { 'preference-applied': 'respond-async' } };
    await store.complete(claim.record, response);
    const stored = await model.findById(claim.record._id).lean();
    expect(stored).toMatchObject({ state: 'completed', fingerprint: 'f', owner: claim.record.owner, response });
    expect(stored?.createdAt).toBeInstanceOf(Date);
    expect(await store.claim(claim.record._id, 'f')).toEqual({ kind: 'replay', response });
  });

  it('releases only its own record: a late release never deletes a successor', async () => {
    const id = nextId();
    const first = await store.claim(id, 'f');
    if (first.kind !== 'acquired') throw new Error('expected the key');
    await store.release(first.record);
    const second = await store.claim(id, 'f');
    if (second.kind !== 'acquired') throw new Error('expected the key again after the release');
    await store.release(first.record);
    await store.complete(first.record, { status: 200, body: '{}' });
    expect(await model.findById(id).lean()).toMatchObject({ owner: second.record.owner, state: 'in_progress' });
  });

  it('replaces an expired record', async () => {
    const id = nextId();
    const first = await store.claim(id, 'f');
    if (first.kind !== 'acquired') throw new Error('expected the key');
    await store.complete(first.record, { status: 200, body: '{}' });
    const past = new Date(Date.now() - 1_000);
    await model.updateOne({ _id: id }, { $set: { createdAt: new Date(past.getTime() - 86_400_000), expiresAt: past } });
    const again = await store.claim(id, 'other fingerprint');
    expect(again).toMatchObject({ kind: 'acquired', record: { fingerprint: 'other fingerprint' } });
  });

  it('answers SERVICE_UNAVAILABLE when the database cannot be reached', async () => {
    const closed = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    const offline = new IdempotencyStore(closed.model<IdempotencyRecord>(IDEMPOTENCY_MODEL_NAME, IdempotencyRecordSchema), {});
    await closed.close();
    await expect(offline.claim(nextId(), 'f')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });
});
