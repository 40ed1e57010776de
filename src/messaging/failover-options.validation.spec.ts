import { validateMessagingExtras } from './messaging-extras.validation.js';
import { MessagingOptionsError, validateMessagingOptions } from './messaging-options.validation.js';

const SID = `AC${'a'.repeat(32)}`;
const SMTP = { host: 'smtp.example.com', port: 587, secure: false, from: 'App <no-reply@example.com>' };
const TWILIO = { accountSid: SID, authToken: 'primary-token', smsFrom: '+15551234567' };
const provider = (name: string) => ({ name, send: () => Promise.resolve({ messageId: 'x' }), verify: () => Promise.resolve() });

function problemsOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MessagingOptionsError) return error.message;
    throw error;
  }
  throw new Error('expected MessagingOptionsError');
}

describe('failover options', () => {
  it('accepts smtpFailover and twilioFailover lists beside their primary', () => {
    const options = {
      controllers: false,
      smtp: SMTP,
      smtpFailover: [{ ...SMTP, host: 'relay-2.example.com', user: 'u', pass: 'p' }],
      twilio: TWILIO,
      twilioFailover: [{ accountSid: `AC${'b'.repeat(32)}`, authToken: 'second', apiBaseUrl: 'https://api.example.com' }],
    };
    expect(validateMessagingOptions(options, false)).toBe(options);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an smtpFailover that is not a list', { smtp: SMTP, smtpFailover: SMTP }, 'smtpFailover must be a non-empty array'],
    ['an empty smtpFailover', { smtp: SMTP, smtpFailover: [] }, 'smtpFailover must be a non-empty array'],
    ['smtpFailover without smtp', { smtpFailover: [SMTP] }, 'smtpFailover requires smtp'],
    ['a relay with a bad port', { smtp: SMTP, smtpFailover: [SMTP, { ...SMTP, port: 0 }] }, 'smtpFailover[1].port must be an integer from 1 to 65535'],
    ['a relay that is not an object', { smtp: SMTP, smtpFailover: ['smtp://x'] }, 'smtpFailover[0] must be an object'],
    ['twilioFailover without twilio', { twilioFailover: [TWILIO] }, 'twilioFailover requires twilio'],
    ['an account without a token', { twilio: TWILIO, twilioFailover: [{ accountSid: SID }] }, 'twilioFailover[0].authToken is required'],
    ['an account with a bad address', { twilio: TWILIO, twilioFailover: [{ ...TWILIO, apiBaseUrl: 'ftp://x' }] }, 'twilioFailover[0].apiBaseUrl must be an http(s) URL'],
  ])('refuses %s', (_case, options, problem) => {
    expect(problemsOf(() => validateMessagingOptions(options, false))).toContain(problem);
  });

  it('never echoes a relay password or an account token', () => {
    const message = problemsOf(() =>
      validateMessagingOptions(
        {
          smtp: SMTP,
          smtpFailover: [{ ...SMTP, port: 'x', user: 'u', pass: 'hunter2secret' }],
          twilio: TWILIO,
          twilioFailover: [{ accountSid: 'bad', authToken: 'tok3nSecret' }],
        },
        false,
      ),
    );
    expect(message).not.toContain('hunter2secret');
    expect(message).not.toContain('tok3nSecret');
  });
});

describe('providers overrides as failover lists', () => {
  it('accepts a list of classes and instances', () => {
    class HostSms {
      readonly name = 'host-sms';
      send = () => Promise.resolve({ messageId: 'x' });
      verify = () => Promise.resolve();
    }
    expect(() => validateMessagingExtras({ providers: { sms: [HostSms, provider('backup')], email: [provider('relay')] } })).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['an empty list', [], 'providers.sms must list at least one provider'],
    ['an entry that is no provider', [provider('a'), { name: 'b' }], 'providers.sms [1] is not a provider class'],
    ['a name used twice', [provider('a'), provider('a')], 'providers.sms names "a" twice'],
  ])('refuses %s', (_case, sms, problem) => {
    expect(problemsOf(() => validateMessagingExtras({ providers: { sms } as never }))).toContain(problem);
  });
});
