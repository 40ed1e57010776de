import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { Model } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageLogRepository } from './message-log.repository.js';
import type { MessageLog } from './message-log.schema.js';
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
      create: () => new Promise<void>((resolve) => (landInsert = resolve)),
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
