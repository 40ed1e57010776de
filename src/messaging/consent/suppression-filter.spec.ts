import { jest } from '@jest/globals';
import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { SuppressionFilter } from './suppression-filter.js';
import { EVERY_TENANT, SuppressionSchema, type Suppression } from './suppression.schema.js';
import { SuppressionStore } from './suppression.store.js';

/** The filter that lets a send skip the suppression lookup, on FerretDB, with entries written around it. */
describe('SuppressionFilter', () => {
  const uri = testDatabaseUri('suppression-filter');
  let connection: Connection;
  let model: Model<Suppression>;
  let closedModel: Model<Suppression>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<Suppression>('Suppression', SuppressionSchema);
    const closed = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000 }).asPromise();
    closedModel = closed.model<Suppression>('Suppression', SuppressionSchema);
    await closed.close();
  });
  beforeEach(async () => {
    await model.deleteMany({});
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  /** An entry as another process writes it: straight into the collection, unseen by the filter. */
  const writtenElsewhere = (tenant: string, address: string, createdAt = new Date()) =>
    model.create({ tenant, channel: 'sms', address, scope: 'all', reason: 'manual', source: 'api', createdAt });

  const started = async (of = model) => {
    const filter = new SuppressionFilter(of, { consent: { syncMs: 60_000 } });
    await filter.sync();
    return filter;
  };

  it('answers "may hold" for everything until its first read succeeds', async () => {
    const filter = new SuppressionFilter(model, {});
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000001'])).toBe(true);
    await filter.sync();
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000001'])).toBe(false);
  });

  it('finds the entries present at the first read, a tenant\'s own and those of every tenant', async () => {
    await writtenElsewhere('acme', '+15550000002');
    await writtenElsewhere(EVERY_TENANT, '+15550000003');
    const filter = await started();
    expect(filter.mayHoldAny('acme', 'sms', ['+15550009999', '+15550000002'])).toBe(true);
    expect(filter.mayHoldAny('globex', 'sms', ['+15550000002'])).toBe(false);
    expect(filter.mayHoldAny('globex', 'sms', ['+15550000003'])).toBe(true);
    expect(filter.mayHoldAny('acme', 'whatsapp', ['+15550000002'])).toBe(false);
  });

  it('brings in what another process wrote at the next read, even from a clock 4 s behind', async () => {
    const filter = await started();
    await writtenElsewhere('acme', '+15550000004', new Date(Date.now() - 4_000));
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000004'])).toBe(false);
    await filter.sync();
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000004'])).toBe(true);
  });

  it('reads the whole list again every 10 minutes: a far-off clock is caught, a removed entry forgotten', async () => {
    // Only Date is faked: the driver's own timers must run.
    jest.useFakeTimers({ doNotFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'hrtime', 'performance'] });
    try {
      jest.setSystemTime(Date.now());
      await writtenElsewhere('acme', '+15550000009');
      const filter = await started();
      await writtenElsewhere('acme', '+15550000010', new Date(Date.now() - 120_000));
      await model.deleteOne({ address: '+15550000009' });
      await filter.sync();
      expect(filter.mayHoldAny('acme', 'sms', ['+15550000010'])).toBe(false); // older than the margin
      expect(filter.mayHoldAny('acme', 'sms', ['+15550000009'])).toBe(true); // removed, not yet forgotten
      jest.setSystemTime(Date.now() + 10 * 60_000);
      await filter.sync();
      expect(filter.mayHoldAny('acme', 'sms', ['+15550000010'])).toBe(true);
      expect(filter.mayHoldAny('acme', 'sms', ['+15550000009'])).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('holds an entry noted by this process at once, also when noted during a full read', async () => {
    const filter = new SuppressionFilter(model, {});
    const reading = filter.sync();
    filter.note({ tenant: 'acme', channel: 'sms', address: '+15550000005' });
    await reading;
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000005'])).toBe(true);
    filter.note({ tenant: 'acme', channel: 'email', address: 'late@example.com' });
    expect(filter.mayHoldAny('acme', 'email', ['late@example.com'])).toBe(true);
  });

  it('is not trusted after a failed read, so every check asks the database again', async () => {
    const own = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 1_000 }).asPromise();
    const filter = await started(own.model<Suppression>('Suppression', SuppressionSchema));
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000006'])).toBe(false);
    await own.close();
    await filter.sync();
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000006'])).toBe(true);
  });

  it('lets the store skip the lookup when the filter says no, and never when it may hold', async () => {
    const filter = await started();
    // The store reads through a closed connection: a lookup would be a 503.
    const store = new SuppressionStore(closedModel, filter);
    await expect(store.suppressedAmong('acme', 'sms', ['+15550000007'], 'transactional')).resolves.toEqual(new Set());
    filter.note({ tenant: 'acme', channel: 'sms', address: '+15550000007' });
    await expect(store.suppressedAmong('acme', 'sms', ['+15550000007'], 'transactional')).rejects.toBeInstanceOf(ServiceUnavailableError);
  });

  it('is off with syncMs 0: it never reads, and every check asks the database', async () => {
    const filter = new SuppressionFilter(model, { consent: { syncMs: 0 } });
    filter.onApplicationBootstrap();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(filter.mayHoldAny('acme', 'sms', ['+15550000008'])).toBe(true);
    filter.onApplicationShutdown();
  });
});
