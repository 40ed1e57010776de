import type { Types } from 'mongoose';
import { ServiceUnavailableError } from '../errors/messaging.errors.js';
import { MessageDispatcher } from '../logs/message-dispatcher.js';
import type { MessageLogRepository } from '../logs/message-log.repository.js';
import { noteProviderCall, trackSendAttempt, type SendAttempt } from './send-attempt.js';

/** A log repository that writes nothing (or refuses the pending row, as when the database is down). */
function repository(refusePending = false): MessageLogRepository {
  return {
    createPending: () => (refusePending ? Promise.reject(new ServiceUnavailableError()) : Promise.resolve({} as Types.ObjectId)),
    markSent: () => Promise.resolve(),
    markFailed: () => Promise.resolve(),
  } as unknown as MessageLogRepository;
}

describe('send attempts seen by the idempotency interceptor', () => {
  const entry = { channel: 'sms' as const, to: '+15550001111', provider: 'twilio' };

  it('records that the dispatcher handed the message to a provider, even when the provider then fails', async () => {
    const attempt: SendAttempt = { providerCalled: false };
    const dispatcher = new MessageDispatcher(repository());
    await expect(
      trackSendAttempt(attempt, () => dispatcher.dispatch(entry, () => Promise.reject(new Error('refused')))),
    ).rejects.toThrow('refused');
    expect(attempt.providerCalled).toBe(true);
  });

  it('does not when the log row could not be written (the provider was never called)', async () => {
    const attempt: SendAttempt = { providerCalled: false };
    let called = false;
    const dispatcher = new MessageDispatcher(repository(true));
    const send = () => {
      called = true;
      return Promise.resolve({ messageId: 'SM1' });
    };
    await expect(trackSendAttempt(attempt, () => dispatcher.dispatch(entry, send))).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect({ called, providerCalled: attempt.providerCalled }).toEqual({ called: false, providerCalled: false });
  });

  it('keeps concurrent requests apart, and is a no-op outside one', async () => {
    const first: SendAttempt = { providerCalled: false };
    const second: SendAttempt = { providerCalled: false };
    await Promise.all([
      trackSendAttempt(first, async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        noteProviderCall();
      }),
      trackSendAttempt(second, () => new Promise((resolve) => setTimeout(resolve, 10))),
    ]);
    expect([first.providerCalled, second.providerCalled]).toEqual([true, false]);
    expect(() => noteProviderCall()).not.toThrow();
  });
});
