import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { QueueNotConfiguredError, ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageLogRepository } from '../logs/message-log.repository.js';
import { MessageLogSchema, type MessageLog } from '../logs/message-log.schema.js';
import { AsyncDelivery } from './async-delivery.js';
import type { DeliveryJobData } from './delivery-job.js';
import type { DeliveryQueue } from './delivery-queue.js';
import { QueuedMessageLog } from './queued-message-log.js';
import { StatusUpdates } from '../logs/status-updates.js';

/** The producer's surface AsyncDelivery uses; `add` is scripted per test. */
class FakeQueue {
  readonly added: Array<{ data: DeliveryJobData; delayMs: number }> = [];
  add: (data: DeliveryJobData, delayMs: number) => Promise<void> = (data, delayMs) => {
    this.added.push({ data, delayMs });
    return Promise.resolve();
  };
  addBulk: (jobs: ReadonlyArray<{ data: DeliveryJobData; delayMs: number }>) => Promise<void> = (jobs) => {
    this.added.push(...jobs);
    return Promise.resolve();
  };
}

describe('AsyncDelivery', () => {
  const uri = testDatabaseUri('async-delivery');
  let connection: Connection;
  let model: Model<MessageLog>;
  let queue: FakeQueue;
  let delivery: AsyncDelivery;
  const entry = { channel: 'sms' as const, to: '+15550001111', provider: 'twilio', requestedBy: 'spec' };
  const options = { smtp: { host: 'h', port: 25, secure: false, from: 'App <no-reply@example.org>' } };

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
  });
  beforeEach(() => {
    queue = new FakeQueue();
    delivery = new AsyncDelivery(new MessageLogRepository(model, new StatusUpdates(model)), new QueuedMessageLog(model, new StatusUpdates(model)), options, queue as unknown as DeliveryQueue);
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  it('applies with sendAt, or with the preference; without a queue sendAt is refused and the preference ignored', () => {
    expect(delivery.applies(undefined)).toBe(false);
    expect(delivery.applies(undefined, { preferAsync: true })).toBe(true);
    expect(delivery.applies('2030-01-01T00:00:00Z')).toBe(true);
    const none = new AsyncDelivery(new MessageLogRepository(model, new StatusUpdates(model)), new QueuedMessageLog(model, new StatusUpdates(model)), {}, null);
    expect(none.applies(undefined, { preferAsync: true })).toBe(false);
    expect(() => none.applies('2030-01-01T00:00:00Z')).toThrow(QueueNotConfiguredError);
  });

  it('writes the queued row first, then enqueues the job under the row id', async () => {
    let rowWhenAdded: unknown;
    queue.add = async (data) => {
      rowWhenAdded = await model.findById(data.logId).lean();
      queue.added.push({ data, delayMs: 0 });
    };
    const accepted = await delivery.accept(entry, { channel: 'sms', message: { to: entry.to, body: 'hi' } });
    expect(accepted).toEqual({ id: accepted.messageId, messageId: accepted.messageId, status: 'queued', channel: 'sms', to: entry.to });
    expect(rowWhenAdded).toMatchObject({ status: 'queued', to: entry.to });
    expect(queue.added[0]?.data).toEqual({ v: 1, logId: accepted.messageId, channel: 'sms', message: { to: entry.to, body: 'hi' } });
  });

  it('schedules with a delay, and gives emails a Message-ID of their row in the From domain', async () => {
    const sendAt = new Date(Date.now() + 60_000).toISOString();
    const email = { to: ['a@example.com'], subject: 'S', html: '<p>x</p>', text: 'x' };
    const accepted = await delivery.accept({ ...entry, channel: 'email', to: 'a@example.com' }, { channel: 'email', message: email }, sendAt);
    expect(accepted).toMatchObject({ status: 'scheduled', sendAt });
    const [job] = queue.added;
    expect(job?.delayMs).toBeGreaterThan(55_000);
    expect(job?.data).toMatchObject({ channel: 'email', message: { ...email, messageId: `<${accepted.messageId}@example.org>` } });
    expect(await model.findById(accepted.messageId).lean()).toMatchObject({ status: 'scheduled', sendAt: new Date(sendAt) });
  });

  it('fails the row and answers SERVICE_UNAVAILABLE when the job cannot be enqueued', async () => {
    queue.add = () => Promise.reject(new Error('Redis is reconnecting'));
    await expect(delivery.accept({ ...entry, to: '+15550002222' }, { channel: 'sms', message: { to: '+15550002222', body: 'x' } })).rejects.toBeInstanceOf(
      ServiceUnavailableError,
    );
    const rows = await model.find({ to: '+15550002222' }).lean();
    expect(rows).toEqual([expect.objectContaining({ status: 'failed', error: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) as unknown })]);
  });

  const smsBatch = (numbers: string[]) =>
    numbers.map((to) => ({
      entry: { ...entry, to },
      content: { channel: 'sms' as const, message: { to, body: 'x' } },
      consent: { tenant: 'spec', category: 'transactional' as const },
    }));

  it('answers 503 for a batch none of whose jobs was enqueued, every row failed', async () => {
    queue.addBulk = () => Promise.reject(new Error('Redis is reconnecting'));
    await expect(delivery.acceptBatch(smsBatch(['+15550004441', '+15550004442']))).rejects.toBeInstanceOf(ServiceUnavailableError);
    const rows = await model.find({ to: { $in: ['+15550004441', '+15550004442'] } }).lean();
    expect(rows.map((row) => [row.status, row.error?.code])).toEqual([
      ['failed', 'SERVICE_UNAVAILABLE'],
      ['failed', 'SERVICE_UNAVAILABLE'],
    ]);
  });

  it('accepts the messages a worker took when the bulk add failed part-way, and refuses the others by row', async () => {
    queue.addBulk = async (jobs) => {
      // The pipeline got the first job to Redis and a worker claimed it; then the connection broke.
      await new QueuedMessageLog(model, new StatusUpdates(model)).claim(jobs[0]?.data.logId ?? '');
      throw new Error('Connection is closed.');
    };
    const [taken, lost] = await delivery.acceptBatch(smsBatch(['+15550005551', '+15550005552']));
    expect(taken).toEqual({ messageId: expect.any(String) as unknown, status: 'queued' });
    expect(lost).toEqual({ notEnqueued: { code: 'SERVICE_UNAVAILABLE', message: 'The delivery queue was unreachable; nothing was sent' } });
    const statusOf = async (to: string) => (await model.findOne({ to }).lean())?.status;
    expect([await statusOf('+15550005551'), await statusOf('+15550005552')]).toEqual(['pending', 'failed']);
  });

  it('accepts after all when the add timed out but a worker already took the message', async () => {
    queue.add = async (data) => {
      // Redis did get the job, and a worker claimed it before the confirmation came back.
      await new QueuedMessageLog(model, new StatusUpdates(model)).claim(data.logId);
      throw new Error('adding the job: no answer within 2000 ms');
    };
    const accepted = await delivery.accept({ ...entry, to: '+15550003333' }, { channel: 'sms', message: { to: '+15550003333', body: 'x' } });
    expect(accepted.status).toBe('queued');
    expect(await model.findById(accepted.messageId).lean()).toMatchObject({ status: 'pending' });
  });
});
