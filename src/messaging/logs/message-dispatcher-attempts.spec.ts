import mongoose, { type Connection, type Model } from 'mongoose';
import { dropTestDatabase, testDatabaseUri } from '../../../test/helpers/database.js';
import { SendFailedError } from '../errors/messaging.errors.js';
import { FailoverProvider } from '../providers/failover/failover.provider.js';
import { ProviderSendError, type ProviderFailureKind } from '../providers/provider-failure.js';
import type { OutgoingSms, SmsProvider } from '../providers/sms.provider.js';
import { MessageDispatcher } from './message-dispatcher.js';
import { MessageLogRepository, type NewMessageLog } from './message-log.repository.js';
import { MessageLogSchema, type MessageLog } from './message-log.schema.js';
import { StatusUpdates } from './status-updates.js';

/** An SMS provider implementing the port: accepts with `sid`, or fails with a failover kind. */
function sms(name: string, outcome: { sid: string } | { fail: ProviderFailureKind }): SmsProvider {
  return {
    name,
    verify: () => Promise.resolve(),
    send: () =>
      'sid' in outcome
        ? Promise.resolve({ messageId: outcome.sid })
        : Promise.reject(
            new ProviderSendError(`Failed to send sms: ${name} ${outcome.fail}`, { channel: 'sms', provider: name, providerCode: 20503 }, outcome.fail),
          ),
  };
}

/** Runs the real write path against the test database: where attempts and the final provider land. */
describe('MessageDispatcher attempts', () => {
  const uri = testDatabaseUri('dispatcher-attempts');
  let connection: Connection;
  let model: Model<MessageLog>;
  let dispatcher: MessageDispatcher;
  const entry = (to: string, provider = 'twilio'): NewMessageLog => ({ channel: 'sms', to, provider, requestedBy: 'spec' });
  const row = async (to: string) => (await model.find({ to }).lean())[0];
  const SMS: OutgoingSms = { to: '+15550000000', body: 'hi' };

  beforeAll(async () => {
    connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    model = connection.model<MessageLog>('MessageLog', MessageLogSchema);
    dispatcher = new MessageDispatcher(new MessageLogRepository(model, new StatusUpdates(model)));
  });
  afterAll(async () => {
    await connection.close();
    await dropTestDatabase(uri);
  });

  it('records the one attempt of a plain provider, its provider unchanged', async () => {
    const before = Date.now();
    await dispatcher.dispatch(entry('+15550000101'), () => Promise.resolve({ messageId: 'SM1' }));
    const sent = await row('+15550000101');
    expect(sent).toMatchObject({ status: 'sent', provider: 'twilio', attempts: [{ provider: 'twilio', outcome: 'sent' }] });
    expect(sent?.attempts?.[0]?.at.getTime()).toBeGreaterThanOrEqual(before);
    expect(sent?.attempts?.[0]).not.toHaveProperty('error');

    const failure = new SendFailedError('Failed to send sms: invalid number', { channel: 'sms', provider: 'twilio', providerCode: 21211 });
    await expect(dispatcher.dispatch(entry('+15550000102'), () => Promise.reject(failure))).rejects.toBe(failure);
    const error = { code: 'SEND_FAILED', message: 'Failed to send sms: invalid number', providerCode: '21211' };
    expect(await row('+15550000102')).toMatchObject({
      status: 'failed',
      provider: 'twilio',
      error,
      attempts: [{ provider: 'twilio', outcome: 'failed', error }],
    });
  });

  it('records the provider that delivered and every attempt of a failover provider', async () => {
    const failover = new FailoverProvider('sms', [sms('twilio', { fail: 'transient' }), sms('twilio-2', { sid: 'SM2' })]);
    const receipt = await dispatcher.dispatch(entry('+15550000103'), () => failover.send(SMS));
    expect(receipt.messageId).toBe('SM2');
    expect(await row('+15550000103')).toMatchObject({
      status: 'sent',
      messageId: 'SM2',
      provider: 'twilio-2',
      attempts: [
        { provider: 'twilio', outcome: 'failed', error: { code: 'SEND_FAILED', message: 'Failed to send sms: twilio transient', providerCode: '20503' } },
        { provider: 'twilio-2', outcome: 'sent' },
      ],
    });
  });

  it('records the last provider tried and every attempt when all fail, and rethrows with them', async () => {
    const failover = new FailoverProvider('sms', [sms('twilio', { fail: 'transient' }), sms('twilio-2', { fail: 'transient' })]);
    const error = await dispatcher.dispatch(entry('+15550000104'), () => failover.send(SMS)).then(
      () => undefined,
      (e: unknown) => e as SendFailedError,
    );
    expect(error?.details).toMatchObject({ provider: 'twilio-2', attempts: [{ provider: 'twilio' }, { provider: 'twilio-2' }] });
    const failed = await row('+15550000104');
    expect(failed).toMatchObject({
      status: 'failed',
      provider: 'twilio-2',
      error: { code: 'SEND_FAILED', message: 'Failed to send sms: twilio-2 transient', providerCode: '20503' },
    });
    expect(failed?.attempts?.map((a) => [a.provider, a.outcome])).toEqual([
      ['twilio', 'failed'],
      ['twilio-2', 'failed'],
    ]);
  });
});
