import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import mongoose, { type Model } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import { MessageLogSchema, type MessageLog } from './message-log.schema.js';
import { StatusUpdates } from './status-updates.js';

/**
 * A database that takes the insert but never answers: the request must still
 * answer (503, provider never called), and a write that lands later must
 * leave a `failed` row, not a `pending` one.
 */
describe('MessageLogRepository when the database never answers', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('answers 503 after its deadline and marks a late row failed', async () => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    let landInsert: () => void = () => undefined;
    const updates: Array<{ filter: unknown; update: unknown }> = [];
    const model = {
      db: { db: undefined }, // not connected: the update form correct on any server is used
      validate: (row: unknown) => Promise.resolve(row),
      collection: { insertOne: () => new Promise<void>((resolve) => (landInsert = resolve)) },
      // The atomic move's one conditional operation; it answers with the row as it was before.
      findOneAndUpdate: (filter: { _id: unknown }, update: unknown) => {
        updates.push({ filter, update });
        const before = { _id: filter._id, status: 'pending', channel: 'sms', to: '+15550001111', provider: 'twilio' };
        return { lean: () => ({ exec: () => Promise.resolve(before) }) };
      },
    } as unknown as Model<MessageLog>;
    const repository = new MessageLogRepository(model, new StatusUpdates(model));

    const answer = repository.createPending({ channel: 'sms', to: '+15550001111', provider: 'twilio' }).catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(30_000);
    expect(await answer).toBeInstanceOf(ServiceUnavailableError);
    expect(updates).toEqual([]);

    landInsert();
    await jest.advanceTimersByTimeAsync(0);
    expect(updates).toHaveLength(1);
    expect(updates[0]?.filter).toMatchObject({ status: 'pending' });
    expect(updates).toEqual([
      {
        filter: { _id: (updates[0]?.filter as { _id: unknown })._id, status: 'pending' },
        update: {
          $set: { status: 'failed', error: { code: 'SERVICE_UNAVAILABLE', message: 'Log row written too late; message not sent' } },
        },
      },
    ]);
  });
});

/**
 * The row is checked against the schema and inserted by the driver: no mongoose document is built for a
 * row nobody reads back (Model.create cost about 0.5 ms of CPU per send). The driver is the network
 * edge here; the model and its schema are the real ones, on a connection that never connects.
 */
describe('MessageLogRepository writing a row', () => {
  const connection = mongoose.createConnection();
  const model = connection.model<MessageLog>('MessageLogWriteSpec', MessageLogSchema);
  afterEach(() => jest.restoreAllMocks());
  afterAll(() => connection.close());

  it('inserts the schema-checked row with the timestamps create would set, without a document', async () => {
    const inserted: Record<string, unknown>[] = [];
    jest.spyOn(model.collection, 'insertOne').mockImplementation((row) => {
      inserted.push(row);
      return Promise.resolve({ acknowledged: true, insertedId: row._id as mongoose.Types.ObjectId });
    });
    const create = jest.spyOn(model, 'create');
    const repository = new MessageLogRepository(model, new StatusUpdates(model));

    const id = await repository.createPending({ channel: 'sms', to: '+15550001111', provider: 'twilio', segments: 1, requestId: 'r-1' });

    expect(create).not.toHaveBeenCalled();
    expect(inserted).toHaveLength(1);
    const row = inserted[0] ?? {};
    expect(row).toMatchObject({ _id: id, channel: 'sms', to: '+15550001111', provider: 'twilio', segments: 1, status: 'pending', requestId: 'r-1' });
    expect(row['createdAt']).toBeInstanceOf(Date);
    expect(row['updatedAt']).toEqual(row['createdAt']);
  });

  it('refuses a row the schema refuses (503, nothing inserted), as create did', async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const insertOne = jest.spyOn(model.collection, 'insertOne');
    const repository = new MessageLogRepository(model, new StatusUpdates(model));
    const bad = { channel: 'fax', to: '+15550001111', provider: 'twilio' } as unknown as NewMessageLog;

    await expect(repository.createPending(bad)).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(insertOne).not.toHaveBeenCalled();
  });
});
