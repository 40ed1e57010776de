import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, isFerretDB, testDatabaseUri } from '../../../test/helpers/database.js';
import { MAX_RECEIPT_EVENTS, type ReceiptStatus } from '../common/delivery-receipts.js';
import { DeliveryReceipts } from './delivery-receipts.service.js';
import { MessageLogSchema, type MessageLog } from './message-log.schema.js';
import { ATOMIC_UPDATE, READ_CHECK_WRITE, StatusUpdates, type StatusUpdateStrategy } from './status-updates.js';

/** Receipts applied to real rows of the test database, through both status update strategies. */
describe.each<[string, StatusUpdateStrategy]>([
  ['atomic update (MongoDB)', ATOMIC_UPDATE],
  ['read, check, write by _id (FerretDB)', READ_CHECK_WRITE],
])('delivery receipts, %s', (_name, strategy) => {
  const uri = testDatabaseUri('delivery-receipts');
  let connection: Connection;
  let model: Model<MessageLog>;
  let receipts: DeliveryReceipts;
  let sequence = 0;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    receipts = new DeliveryReceipts(model, StatusUpdates.using(model, strategy));
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  async function sentRow(): Promise<string> {
    const messageId = `SM${String(++sequence).padStart(32, '0')}`;
    await model.create({ channel: 'sms', to: '+15550001111', provider: 'twilio', status: 'sent', messageId });
    return messageId;
  }

  const receipt = (messageId: string, status: ReceiptStatus, providerStatus: string = status, errorCode?: string) => ({
    messageId,
    status,
    providerStatus,
    ...(errorCode ? { errorCode } : {}),
  });

  async function rowOf(messageId: string) {
    return model.findOne({ messageId }).lean().exec();
  }

  it('moves sent -> delivered -> read, one event each', async () => {
    const sid = await sentRow();
    expect(await receipts.apply(receipt(sid, 'sent'))).toBe('unchanged');
    expect(await receipts.apply(receipt(sid, 'delivered'))).toBe('moved');
    expect(await receipts.apply(receipt(sid, 'read'))).toBe('moved');
    const row = await rowOf(sid);
    expect(row?.status).toBe('read');
    expect(row?.events?.map((e) => [e.status, e.providerStatus])).toEqual([['delivered', 'delivered'], ['read', 'read']]);
  });

  it('ignores duplicates and late callbacks: nothing moves back', async () => {
    const sid = await sentRow();
    await receipts.apply(receipt(sid, 'read'));
    for (const late of ['delivered', 'read', 'sent', 'undelivered', 'failed'] as const) {
      expect(await receipts.apply(receipt(sid, late))).toBe('unchanged');
    }
    const row = await rowOf(sid);
    expect(row?.status).toBe('read');
    expect(row?.events).toHaveLength(1);
  });

  it('records undelivered as final, with the provider code and a readable message', async () => {
    const sid = await sentRow();
    expect(await receipts.apply(receipt(sid, 'undelivered', 'undelivered', '63016'))).toBe('moved');
    expect(await receipts.apply(receipt(sid, 'delivered'))).toBe('unchanged');
    const row = await rowOf(sid);
    expect(row?.status).toBe('undelivered');
    expect(row?.error).toEqual({ code: 'SEND_FAILED', providerCode: '63016', message: 'outside the 24-hour window: use an approved template' });
    expect(row?.events?.[0]).toMatchObject({ status: 'undelivered', errorCode: '63016' });
  });

  it('writes nothing for an unknown message id', async () => {
    const before = await model.countDocuments().exec();
    expect(await receipts.apply(receipt('SM_unknown', 'delivered'))).toBe('unknown');
    expect(await model.countDocuments({ messageId: 'SM_unknown' }).exec()).toBe(0);
    expect(await model.countDocuments().exec()).toBe(before);
  });

  it('racing receipts on one row: exactly the forward ones win, the row ends at read', async () => {
    const sid = await sentRow();
    const statuses: ReceiptStatus[] = ['delivered', 'read', 'delivered', 'sent', 'read', 'delivered', 'read', 'delivered'];
    const outcomes = await Promise.all(statuses.map((status) => receipts.apply(receipt(sid, status))));
    const row = await rowOf(sid);
    expect(row?.status).toBe('read');
    expect(outcomes.filter((o) => o === 'moved').length).toBe(row?.events?.length);
    expect(row?.events?.at(-1)?.status).toBe('read');
    expect((row?.events ?? []).length).toBeLessThanOrEqual(2);
  });

  // FerretDB 1.x ignores $slice: there a full timeline grows by the receipt (only forward moves
  // append, so receipts alone add at most two events to a row); MongoDB keeps the newest 20.
  it(`keeps the newest ${MAX_RECEIPT_EVENTS} events (MongoDB)`, async () => {
    const sid = await sentRow();
    const old = Array.from({ length: MAX_RECEIPT_EVENTS }, (_, i) => ({ status: 'sent', providerStatus: `old-${i}`, at: new Date() }));
    await model.updateOne({ messageId: sid }, { $set: { events: old } }).exec();
    expect(await receipts.apply(receipt(sid, 'delivered'))).toBe('moved');
    const events = (await rowOf(sid))?.events ?? [];
    if (isFerretDB()) {
      expect(events).toHaveLength(MAX_RECEIPT_EVENTS + 1);
      expect(events.at(-1)?.status).toBe('delivered');
      return;
    }
    expect(events).toHaveLength(MAX_RECEIPT_EVENTS);
    expect(events[0]?.providerStatus).toBe('old-1');
    expect(events.at(-1)?.status).toBe('delivered');
  });
});
