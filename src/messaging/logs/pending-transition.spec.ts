import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { FilterPushdown } from './filter-pushdown.js';
import { MessageLogSchema, type MessageLog, type MessageStatus } from './message-log.schema.js';
import { moveFromPending } from './pending-transition.js';

/** Against the test database (FerretDB or MongoDB); both update forms are valid on both servers. */
describe('moveFromPending', () => {
  const uri = testDatabaseUri('pending-transition');
  let connection: Connection;
  let model: Model<MessageLog>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  async function row(status: MessageStatus) {
    const created = await model.create({ channel: 'sms', to: '+15550001111', provider: 'twilio', status });
    return created._id;
  }

  describe.each([
    ['any filter (MongoDB)', false],
    ['_id filters only (FerretDB)', true],
  ])('%s', (_name, onlyIdEquality) => {
    it('moves a pending row', async () => {
      const id = await row('pending');
      await expect(moveFromPending(model, id, { status: 'sent', messageId: 'SM1' }, onlyIdEquality)).resolves.toBe('moved');
      expect(await model.findById(id).lean()).toMatchObject({ status: 'sent', messageId: 'SM1' });
    });

    it('never overwrites a final status', async () => {
      const id = await row('failed');
      await expect(moveFromPending(model, id, { status: 'sent', messageId: 'SM2' }, onlyIdEquality)).resolves.toBe('not-pending');
      const kept = await model.findById(id).lean();
      expect(kept?.status).toBe('failed');
      expect(kept?.messageId).toBeUndefined();
    });

    it('answers not-pending for a missing row and writes nothing', async () => {
      const id = new mongoose.Types.ObjectId();
      await expect(moveFromPending(model, id, { status: 'sent' }, onlyIdEquality)).resolves.toBe('not-pending');
      expect(await model.countDocuments({ _id: id })).toBe(0);
    });
  });
});

describe('FilterPushdown', () => {
  const uri = testDatabaseUri('filter-pushdown');

  it('knows FerretDB from MongoDB by buildInfo', async () => {
    const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    try {
      const expected = process.env.MONGODB_IS_FERRETDB === 'true';
      await expect(new FilterPushdown(connection).onlyIdEquality()).resolves.toBe(expected);
    } finally {
      await connection.close();
    }
  });

  it('answers "any filter" (correct everywhere) while it cannot ask', async () => {
    const connection = mongoose.createConnection(); // never opened
    await expect(new FilterPushdown(connection).onlyIdEquality()).resolves.toBe(false);
  });
});
