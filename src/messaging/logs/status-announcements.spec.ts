import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { StatusAnnouncements, type StatusChange } from '../common/status-announcements.js';
import { QueuedMessageLog } from '../queue/queued-message-log.js';
import { MessageLogRepository } from './message-log.repository.js';
import { MessageLogSchema, type MessageLog, type MessageStatus } from './message-log.schema.js';
import { ATOMIC_UPDATE, READ_CHECK_WRITE, StatusUpdates, type StatusUpdateStrategy } from './status-updates.js';

/** Every successful status move is announced once, after it, with the row's previous status; both strategies. */
describe.each<[string, StatusUpdateStrategy]>([
  ['atomic update (MongoDB)', ATOMIC_UPDATE],
  ['read, check, write by _id (FerretDB)', READ_CHECK_WRITE],
])('status announcements, %s', (_name, strategy) => {
  const uri = testDatabaseUri('status-announcements');
  let connection: Connection;
  let model: Model<MessageLog>;
  let announcements: StatusAnnouncements;
  let queue: QueuedMessageLog;
  let logs: MessageLogRepository;
  let heard: StatusChange[];

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined); // "no longer pending", expected here
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    announcements = new StatusAnnouncements();
    announcements.subscribe((change) => void heard.push(change));
    const statuses = StatusUpdates.using(model, strategy, announcements);
    queue = new QueuedMessageLog(model, statuses);
    logs = new MessageLogRepository(model, statuses);
  });
  beforeEach(() => (heard = []));
  afterAll(async () => {
    jest.restoreAllMocks();
    await connection.close();
    await dropTestDatabase(uri);
  });

  async function rowIn(status: MessageStatus): Promise<mongoose.Types.ObjectId> {
    const created = await model.create({ channel: 'sms', to: '+15550001111', provider: 'twilio', status });
    return created._id;
  }

  /** Lets the announcements scheduled so far run. */
  const settled = () => new Promise((resolve) => setImmediate(resolve));

  it('pending -> sent: after the move, with the message id and provider the move wrote', async () => {
    const id = await rowIn('pending');
    await logs.markSent(id, 'SM1', { provider: 'twilio-2', attempts: [] });
    expect(heard).toEqual([]); // not before the caller has its answer
    await settled();
    expect(heard).toEqual([
      {
        id: id.toHexString(),
        channel: 'sms',
        to: '+15550001111',
        status: 'sent',
        previousStatus: 'pending',
        messageId: 'SM1',
        provider: 'twilio-2',
        at: expect.any(Date) as Date,
      },
    ]);
  });

  it('pending -> failed with the error; queued -> cancelled; a retry that keeps pending is not a change', async () => {
    const failed = await rowIn('pending');
    const error = { code: 'SEND_FAILED', message: 'refused', providerCode: '21211' };
    await logs.markFailed(failed, error);
    const cancelled = await rowIn('queued');
    await queue.cancel(cancelled.toHexString());
    await logs.markRetrying(await rowIn('pending'), { code: 'PROVIDER_UNAVAILABLE', message: 'later' });
    await settled();
    expect(heard).toEqual([
      expect.objectContaining({ id: failed.toHexString(), status: 'failed', previousStatus: 'pending', error }),
      expect.objectContaining({ id: cancelled.toHexString(), status: 'cancelled', previousStatus: 'queued' }),
    ]);
    expect(heard[1]).not.toHaveProperty('error');
  });

  it('a move that does not happen announces nothing', async () => {
    await logs.markSent(await rowIn('failed'), 'SM2');
    await queue.cancel((await rowIn('sent')).toHexString());
    await logs.markFailed(new mongoose.Types.ObjectId(), { code: 'X', message: 'no row' });
    await settled();
    expect(heard).toEqual([]);
  });

  it('20 racing claims and cancellations of one row: one move, one announcement', async () => {
    const id = (await rowIn('queued')).toHexString();
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? queue.claim(id) : queue.cancel(id))));
    await settled();
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ id, previousStatus: 'queued' });
    expect((await model.findById(id).lean())?.status).toBe(heard[0]?.status);
  });

  it('a failing listener neither fails the move nor silences the others', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const unsubscribe = announcements.subscribe(() => {
      throw new Error('listener broke');
    });
    const unsubscribeAsync = announcements.subscribe(() => Promise.reject(new Error('async listener broke')));
    try {
      const id = await rowIn('pending');
      await expect(logs.markSent(id, 'SM3')).resolves.toBeUndefined();
      await settled();
      await settled();
      expect(heard).toEqual([expect.objectContaining({ status: 'sent' })]);
      expect((await model.findById(id).lean())?.status).toBe('sent');
      expect(errors.mock.calls.map(([line]) => String(line))).toEqual([
        expect.stringContaining('listener broke'),
        expect.stringContaining('async listener broke'),
      ]);
    } finally {
      unsubscribe();
      unsubscribeAsync();
      errors.mockRestore();
    }
  });
});
