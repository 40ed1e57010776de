import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { SendFailedError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from '../logs/message-dispatcher.js';
import { MessageLogRepository } from '../logs/message-log.repository.js';
import { MessageLogSchema, type MessageLog } from '../logs/message-log.schema.js';
import type { OutgoingEmail } from '../providers/email.provider.js';
import type { OutgoingSms } from '../providers/sms.provider.js';
import { DELIVERY_JOB_VERSION, type DeliveryJobData } from './delivery-job.js';
import { DeliveryProcessor, INTERRUPTED_MESSAGE, isTransient, type JobRun } from './delivery-processor.js';
import { OUTCOME_UNKNOWN, QueuedMessageLog } from './queued-message-log.js';
import { ChannelProviders } from '../providers/channel-providers.js';
import { StatusUpdates } from '../logs/status-updates.js';
import { ConsentGate } from '../consent/consent-gate.js';
import { SuppressionSchema, type Suppression } from '../consent/suppression.schema.js';
import { SuppressionFilter } from '../consent/suppression-filter.js';
import { SuppressionStore } from '../consent/suppression.store.js';

/** A provider whose next answers the test scripts; records what it was asked to send. */
class ScriptedProvider<M> {
  readonly name = 'scripted';
  readonly sent: M[] = [];
  private readonly answers: Array<() => Promise<{ messageId: string }>> = [];

  next(answer: () => Promise<{ messageId: string }>): this {
    this.answers.push(answer);
    return this;
  }

  send(message: M): Promise<{ messageId: string }> {
    this.sent.push(message);
    const answer = this.answers.shift();
    return answer ? answer() : Promise.resolve({ messageId: `id-${this.sent.length}` });
  }

  verify(): Promise<void> {
    return Promise.resolve();
  }
}

const transient = () => new SendFailedError('Failed to send sms: Twilio answered HTTP 503', { channel: 'sms', provider: 'twilio' }, { transient: true });
const permanent = () =>
  new SendFailedError('Failed to send sms: invalid number', { channel: 'sms', provider: 'twilio', providerCode: 21211 });

/** Runs the real claim/deliver path against the test database (FerretDB or MongoDB). */
describe('DeliveryProcessor', () => {
  const uri = testDatabaseUri('delivery-processor');
  let connection: Connection;
  let model: Model<MessageLog>;
  let logs: MessageLogRepository;
  let sms: ScriptedProvider<OutgoingSms>;
  let email: ScriptedProvider<OutgoingEmail>;
  let processor: DeliveryProcessor;
  let suppressions: Model<Suppression>;

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    logs = new MessageLogRepository(model, new StatusUpdates(model));
    suppressions = connection.model<Suppression>('Suppression', SuppressionSchema);
  });
  beforeEach(() => {
    sms = new ScriptedProvider<OutgoingSms>();
    email = new ScriptedProvider<OutgoingEmail>();
    processor = new DeliveryProcessor(
      new QueuedMessageLog(model, new StatusUpdates(model)),
      logs,
      new MessageDispatcher(logs),
      ChannelProviders.of({ email, sms, whatsapp: null }),
      new ConsentGate(new SuppressionStore(suppressions, new SuppressionFilter(suppressions, {}))),
    );
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  async function queuedSms(to: string): Promise<DeliveryJobData> {
    const id = await logs.createQueued({ channel: 'sms', to, provider: 'twilio', requestedBy: 'spec' });
    return { v: DELIVERY_JOB_VERSION, logId: id.toHexString(), channel: 'sms', message: { to, body: 'hello' } };
  }
  const row = (data: DeliveryJobData) => model.findById(data.logId).lean().exec();
  const run = (data: DeliveryJobData, failedAttempts = 0, maxAttempts = 3): JobRun => ({ data, failedAttempts, maxAttempts });

  it('claims a queued row, sends, and records the provider id', async () => {
    const data = await queuedSms('+15550000001');
    expect(await processor.run(run(data))).toEqual({ kind: 'sent', messageId: 'id-1' });
    expect(sms.sent).toEqual([{ to: '+15550000001', body: 'hello' }]);
    expect(await row(data)).toMatchObject({ status: 'sent', messageId: 'id-1' });
    // A second run of the same job (a duplicate delivery by the queue) sends nothing.
    expect(await processor.run(run(data))).toEqual({ kind: 'skipped', reason: 'the message is sent' });
    expect(sms.sent).toHaveLength(1);
  });

  it('never sends a cancelled message', async () => {
    const data = await queuedSms('+15550000002');
    await new QueuedMessageLog(model, new StatusUpdates(model)).cancel(data.logId);
    expect(await processor.run(run(data))).toEqual({ kind: 'skipped', reason: 'the message is cancelled' });
    expect(sms.sent).toEqual([]);
  });

  it('keeps the row pending with the error between attempts, then sends on the next one', async () => {
    const data = await queuedSms('+15550000003');
    sms.next(() => Promise.reject(transient()));
    const first = await processor.run(run(data, 0));
    expect(first.kind).toBe('retry');
    expect(await row(data)).toMatchObject({ status: 'pending', error: { code: 'SEND_FAILED', message: expect.stringContaining('503') as string } });
    expect(await processor.run(run(data, 1))).toEqual({ kind: 'sent', messageId: 'id-2' });
    const final = await row(data);
    expect(final).toMatchObject({ status: 'sent', messageId: 'id-2' });
    expect(final?.error).toBeUndefined();
  });

  it('fails for good on the last attempt, and at once on a permanent failure', async () => {
    const exhausted = await queuedSms('+15550000004');
    sms.next(() => Promise.reject(transient()));
    expect(await processor.run(run(exhausted, 2, 3))).toMatchObject({ kind: 'failed' });
    expect(await row(exhausted)).toMatchObject({ status: 'failed', error: { code: 'SEND_FAILED' } });

    const refused = await queuedSms('+15550000005');
    sms.next(() => Promise.reject(permanent()));
    expect(await processor.run(run(refused, 0, 5))).toMatchObject({ kind: 'failed', reason: 'Failed to send sms: invalid number' });
    expect(await row(refused)).toMatchObject({ status: 'failed', error: { providerCode: '21211' } });
  });

  it('does not send an SMS again after an interrupted attempt: the row fails as outcome unknown', async () => {
    const data = await queuedSms('+15550000006');
    // The first worker claimed the row and died while Twilio had the request.
    expect(await new QueuedMessageLog(model, new StatusUpdates(model)).claim(data.logId)).toEqual({ claimed: true });
    expect(await processor.run(run(data))).toEqual({ kind: 'failed', reason: INTERRUPTED_MESSAGE });
    expect(sms.sent).toEqual([]);
    expect(await row(data)).toMatchObject({ status: 'failed', error: { code: OUTCOME_UNKNOWN, message: INTERRUPTED_MESSAGE } });
  });

  it('sends an email again after an interrupted attempt, with its Message-ID unchanged', async () => {
    const id = await logs.createQueued({ channel: 'email', to: 'a@example.com', provider: 'smtp' });
    const message: OutgoingEmail = { to: ['a@example.com'], subject: 'S', html: '<p>B</p>', text: 'B', messageId: `<${id.toHexString()}@example.com>` };
    const data: DeliveryJobData = { v: DELIVERY_JOB_VERSION, logId: id.toHexString(), channel: 'email', message };
    await new QueuedMessageLog(model, new StatusUpdates(model)).claim(data.logId);
    email.next(() => Promise.resolve({ messageId: message.messageId ?? '' }));
    expect(await processor.run(run(data))).toEqual({ kind: 'sent', messageId: message.messageId });
    expect(email.sent).toEqual([message]);
  });

  it('fails the row when the worker has no provider for the channel', async () => {
    const id = await logs.createQueued({ channel: 'whatsapp', to: '+15550000007', provider: 'twilio' });
    const data: DeliveryJobData = { v: DELIVERY_JOB_VERSION, logId: id.toHexString(), channel: 'whatsapp', message: { to: '+15550000007', body: 'x' } };
    expect(await processor.run(run(data))).toMatchObject({ kind: 'failed' });
    expect(await row(data)).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_NOT_CONFIGURED' } });
  });

  it('postpones the job, spending no attempt, when the log store is unreachable', async () => {
    const closed = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 2_000 }).asPromise();
    const closedModel = closed.model<MessageLog>('MessageLog', MessageLogSchema);
    const closedSuppressions = closed.model<Suppression>('Suppression', SuppressionSchema);
    await closed.close();
    const offline = new DeliveryProcessor(
      new QueuedMessageLog(closedModel, new StatusUpdates(closedModel)),
      logs,
      new MessageDispatcher(logs),
      ChannelProviders.of({ sms }),
      new ConsentGate(new SuppressionStore(closedSuppressions, new SuppressionFilter(closedSuppressions, {}))),
    );
    const data = await queuedSms('+15550000008');
    expect(await offline.run(run(data))).toMatchObject({ kind: 'postpone' });
    expect(sms.sent).toEqual([]);
    expect(await row(data)).toMatchObject({ status: 'queued' });
  });
});

describe('isTransient', () => {
  it('retries what the provider calls transient, and nothing else', () => {
    expect(isTransient(transient())).toBe(true);
    expect(isTransient(permanent())).toBe(false);
    expect(isTransient(new Error('a bug'))).toBe(false);
    expect(isTransient('text')).toBe(false);
  });

  it('reads a declared failover kind, also on the cause of a wrapping error', () => {
    const kind = (failover: string) => Object.assign(new Error('x'), { failover });
    expect(isTransient(kind('transient'))).toBe(true);
    expect(isTransient(kind('ambiguous'))).toBe(false);
    expect(isTransient(Object.assign(new Error('all providers failed'), { cause: kind('transient') }))).toBe(true);
    expect(isTransient(Object.assign(new Error('all providers failed'), { cause: kind('permanent') }))).toBe(false);
  });
});
