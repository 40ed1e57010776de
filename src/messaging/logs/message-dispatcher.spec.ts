import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { SendFailedError, ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import { MessageLogSchema, type MessageLog } from './message-log.schema.js';
import { StatusUpdates } from './status-updates.js';

/** Runs the real write path against the test database (FerretDB or MongoDB). */
describe('MessageDispatcher', () => {
  const uri = testDatabaseUri('message-dispatcher');
  let connection: Connection;
  let model: Model<MessageLog>;
  let dispatcher: MessageDispatcher;
  const entry: NewMessageLog = { channel: 'sms', to: '+15550001111', provider: 'twilio', requestedBy: 'spec' };

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    dispatcher = new MessageDispatcher(new MessageLogRepository(model, new StatusUpdates(model)));
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  it('writes the pending row before the provider is called, then marks it sent', async () => {
    let rowsSeenByProvider: MessageLog[] = [];
    const receipt = await dispatcher.dispatch({ ...entry, to: '+15550000001' }, async () => {
      rowsSeenByProvider = await model.find({ to: '+15550000001' }).lean();
      return { messageId: 'SM0001' };
    });
    expect(receipt).toEqual({ messageId: 'SM0001', logId: expect.stringMatching(/^[0-9a-f]{24}$/) as string });
    expect(rowsSeenByProvider).toHaveLength(1);
    expect(rowsSeenByProvider[0]).toMatchObject({ status: 'pending', provider: 'twilio', requestedBy: 'spec' });
    const final = await model.find({ to: '+15550000001' }).lean();
    expect(final).toHaveLength(1);
    expect(final[0]).toMatchObject({ status: 'sent', messageId: 'SM0001' });
  });

  it('marks the row failed with the provider code and rethrows', async () => {
    const failure = new SendFailedError('Failed to send sms: invalid number', {
      channel: 'sms',
      provider: 'twilio',
      providerCode: 21211,
    });
    await expect(
      dispatcher.dispatch({ ...entry, to: '+15550000002' }, () => Promise.reject(failure)),
    ).rejects.toBe(failure);
    const rows = await model.find({ to: '+15550000002' }).lean();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'failed',
      error: { code: 'SEND_FAILED', message: 'Failed to send sms: invalid number', providerCode: '21211' },
    });
    expect(rows[0]?.messageId).toBeUndefined();
  });

  it('never calls the provider when the row cannot be written', async () => {
    const closed = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2_000 }).asPromise();
    const closedModel = closed.model<MessageLog>('MessageLog', MessageLogSchema);
    await closed.close();
    const offline = new MessageDispatcher(new MessageLogRepository(closedModel, new StatusUpdates(closedModel)));
    let called = false;
    await expect(
      offline.dispatch({ ...entry, to: '+15550000003' }, () => {
        called = true;
        return Promise.resolve({ messageId: 'never' });
      }),
    ).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(called).toBe(false);
    expect(await model.countDocuments({ to: '+15550000003' })).toBe(0);
  });
});
