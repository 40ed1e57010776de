import { SendFailedError, ValidationError } from '../../errors/messaging.errors.js';
import type { ProviderReceipt } from '../provider.interface.js';
import { ProviderSendError, type ProviderFailureKind } from '../provider-failure.js';
import type { OutgoingSms, SmsProvider } from '../sms.provider.js';
import { FailoverProvider, FailoverSendError, withFailover } from './failover.provider.js';

/** How one in-test provider answers a send. */
type Answer = { sid: string } | { fail: ProviderFailureKind; code?: number } | { throw: Error };

/** A small SMS provider implementing the port: answers as told, records what it was sent. */
class ScriptedSms implements SmsProvider {
  readonly received: OutgoingSms[] = [];
  verified = 0;
  destroyed = false;

  constructor(
    readonly name: string,
    private readonly answer: Answer,
    private readonly up = true,
  ) {}

  send(sms: OutgoingSms): Promise<ProviderReceipt> {
    this.received.push(sms);
    const answer = this.answer;
    if ('sid' in answer) return Promise.resolve({ messageId: answer.sid });
    if ('throw' in answer) return Promise.reject(answer.throw);
    const details = { channel: 'sms' as const, provider: this.name, ...(answer.code ? { providerCode: answer.code } : {}) };
    return Promise.reject(new ProviderSendError(`Failed to send sms: ${answer.fail} at ${this.name}`, details, answer.fail));
  }

  verify(): Promise<void> {
    this.verified++;
    return this.up ? Promise.resolve() : Promise.reject(new Error(`${this.name} is down`));
  }

  onModuleDestroy(): void {
    this.destroyed = true;
  }
}

const SMS: OutgoingSms = { to: '+15550001111', body: 'hi' };
/** A clock that ticks one second per call, so every attempt has its own time. */
function ticking(): () => Date {
  let second = 0;
  return () => new Date(Date.UTC(2030, 0, 1, 0, 0, second++));
}
const at = (second: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, second));

function failover(...providers: ScriptedSms[]): FailoverProvider<OutgoingSms> {
  return new FailoverProvider('sms', providers, ticking());
}

async function failureOf(promise: Promise<unknown>): Promise<FailoverSendError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof FailoverSendError) return error;
  throw new Error(`expected a FailoverSendError, got ${String(error)}`);
}

describe('FailoverProvider', () => {
  it('takes the name of its first provider (the pending log row names the primary)', () => {
    expect(failover(new ScriptedSms('twilio', { sid: 'SM1' }), new ScriptedSms('twilio-2', { sid: 'SM2' })).name).toBe('twilio');
  });

  it('sends through the first provider only when it accepts, recording one attempt', async () => {
    const first = new ScriptedSms('twilio', { sid: 'SM1' });
    const second = new ScriptedSms('twilio-2', { sid: 'SM2' });
    await expect(failover(first, second).send(SMS)).resolves.toEqual({
      messageId: 'SM1',
      provider: 'twilio',
      attempts: [{ provider: 'twilio', at: at(0), outcome: 'sent' }],
    });
    expect(first.received).toEqual([SMS]);
    expect(second.received).toEqual([]);
  });

  it('moves on after transient failures, in order, and records every attempt', async () => {
    const providers = [
      new ScriptedSms('twilio', { fail: 'transient', code: 20503 }),
      new ScriptedSms('twilio-2', { fail: 'transient' }),
      new ScriptedSms('twilio-3', { sid: 'SM3' }),
      new ScriptedSms('twilio-4', { sid: 'SM4' }),
    ];
    const receipt = await failover(...providers).send(SMS);
    expect(receipt).toEqual({
      messageId: 'SM3',
      provider: 'twilio-3',
      attempts: [
        {
          provider: 'twilio',
          at: at(0),
          outcome: 'failed',
          error: { code: 'SEND_FAILED', message: 'Failed to send sms: transient at twilio', providerCode: '20503' },
        },
        { provider: 'twilio-2', at: at(1), outcome: 'failed', error: { code: 'SEND_FAILED', message: 'Failed to send sms: transient at twilio-2' } },
        { provider: 'twilio-3', at: at(2), outcome: 'sent' },
      ],
    });
    expect(providers.map((p) => p.received.length)).toEqual([1, 1, 1, 0]);
  });

  it.each<ProviderFailureKind>(['permanent', 'ambiguous'])('stops at a %s failure: it is the answer', async (kind) => {
    const first = new ScriptedSms('twilio', { fail: kind, code: 21211 });
    const second = new ScriptedSms('twilio-2', { sid: 'SM2' });
    const error = await failureOf(failover(first, second).send(SMS));
    expect(second.received).toEqual([]);
    expect(error.code).toBe('SEND_FAILED');
    expect(error.status).toBe(500);
    expect(error.message).toBe(`Failed to send sms: ${kind} at twilio`);
    expect(error.provider).toBe('twilio');
    expect(error.details).toEqual({
      channel: 'sms',
      provider: 'twilio',
      providerCode: 21211,
      attempts: [{ provider: 'twilio', at: at(0), outcome: 'failed', error: expect.objectContaining({ providerCode: '21211' }) as object }],
    });
  });

  it('treats an error that declares no failover kind as ambiguous (nothing says it did not go out)', async () => {
    const plain = new SendFailedError('Failed to send sms: gateway said no', { channel: 'sms', provider: 'twilio' });
    const second = new ScriptedSms('twilio-2', { sid: 'SM2' });
    const error = await failureOf(failover(new ScriptedSms('twilio', { throw: plain }), second).send(SMS));
    expect(second.received).toEqual([]);
    expect(error.cause).toBe(plain);
  });

  it('fails with the last provider\'s error, named after it, with every attempt, when all fail transiently', async () => {
    const error = await failureOf(
      failover(new ScriptedSms('twilio', { fail: 'transient' }), new ScriptedSms('twilio-2', { fail: 'transient', code: 20429 })).send(SMS),
    );
    expect(error.message).toBe('Failed to send sms: transient at twilio-2');
    expect(error.details).toMatchObject({ channel: 'sms', provider: 'twilio-2', providerCode: 20429 });
    expect(error.attempts.map((a) => [a.provider, a.outcome, a.at])).toEqual([
      ['twilio', 'failed', at(0)],
      ['twilio-2', 'failed', at(1)],
    ]);
  });

  it('keeps the code and status of a non-send error, and hides the text of a bug', async () => {
    const invalid = await failureOf(failover(new ScriptedSms('a', { throw: new ValidationError('bad') }), new ScriptedSms('b', { sid: 'x' })).send(SMS));
    expect([invalid.code, invalid.status, invalid.message]).toEqual(['VALIDATION_ERROR', 400, 'bad']);

    const bug = await failureOf(
      failover(new ScriptedSms('a', { throw: new TypeError('secret internals at /srv/app') }), new ScriptedSms('b', { sid: 'x' })).send(SMS),
    );
    expect([bug.code, bug.message]).toEqual(['INTERNAL_ERROR', 'Internal server error']);
    expect(bug.attempts[0]?.error).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal server error' });
    expect(JSON.stringify(bug.toEnvelope())).not.toContain('secret');
  });

  it('verifies as up while at least one provider answers', async () => {
    const down = new ScriptedSms('twilio', { sid: 'x' }, false);
    await expect(failover(down, new ScriptedSms('twilio-2', { sid: 'x' })).verify(AbortSignal.timeout(1000))).resolves.toBeUndefined();
    await expect(failover(down, new ScriptedSms('twilio-2', { sid: 'x' }, false)).verify(AbortSignal.timeout(1000))).rejects.toThrow();
  });

  it('passes the module clean-up on to every provider', async () => {
    const providers = [new ScriptedSms('a', { sid: 'x' }), new ScriptedSms('b', { sid: 'y' })];
    await failover(...providers).onModuleDestroy();
    expect(providers.map((p) => p.destroyed)).toEqual([true, true]);
  });

  it('refuses fewer than two providers or a name used twice', () => {
    expect(() => failover(new ScriptedSms('a', { sid: 'x' }))).toThrow('at least two');
    expect(() => failover(new ScriptedSms('a', { sid: 'x' }), new ScriptedSms('a', { sid: 'y' }))).toThrow('"a" is used twice');
  });
});

describe('withFailover', () => {
  it('is null without providers, the provider itself when alone, a FailoverProvider otherwise', () => {
    const one = new ScriptedSms('twilio', { sid: 'x' });
    expect(withFailover('sms', [])).toBeNull();
    expect(withFailover('sms', [one])).toBe(one);
    expect(withFailover('sms', [one, new ScriptedSms('twilio-2', { sid: 'y' })])).toBeInstanceOf(FailoverProvider);
  });
});
