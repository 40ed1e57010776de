import { ConfigError, loadConfig } from './environment.js';
import { smtpFailoverFromEnv, twilioFailoverFromEnv } from './failover-urls.js';

const SID = `AC${'a1'.repeat(16)}`;
const SID_2 = `AC${'b2'.repeat(16)}`;
const SERVICE = `MG${'c3'.repeat(16)}`;
const SMTP_PRIMARY = { host: 'mail.example.com', port: 587, secure: false, from: 'App <no-reply@example.com>', timeoutMs: 5_000 };
const TWILIO_PRIMARY = {
  accountSid: SID,
  authToken: 'primary-token',
  smsFrom: '+15005550006',
  whatsappFrom: '+14155238886',
  timeoutMs: 750,
};

/** The ConfigError `run` throws; fails the test when it throws none. */
function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('SMTP_FAILOVER_URLS', () => {
  it('is nothing when unset or blank', () => {
    expect(smtpFailoverFromEnv(undefined, SMTP_PRIMARY)).toBeUndefined();
    expect(smtpFailoverFromEnv('  ', SMTP_PRIMARY)).toBeUndefined();
  });

  it('reads each relay in order, sharing the From and the timeout of SMTP_HOST', () => {
    const raw = 'smtp://relay-2.example.com, smtps://user%40example.com:p%40ss%2Cw0rd@relay-3.example.com:2465,smtp://[::1]:2525';
    expect(smtpFailoverFromEnv(raw, SMTP_PRIMARY)).toEqual([
      { host: 'relay-2.example.com', port: 587, secure: false, from: SMTP_PRIMARY.from, timeoutMs: 5_000 },
      {
        host: 'relay-3.example.com',
        port: 2465,
        secure: true,
        user: 'user@example.com',
        pass: 'p@ss,w0rd',
        from: SMTP_PRIMARY.from,
        timeoutMs: 5_000,
      },
      { host: '::1', port: 2525, secure: false, from: SMTP_PRIMARY.from, timeoutMs: 5_000 },
    ]);
  });

  it('defaults smtps:// to port 465', () => {
    expect(smtpFailoverFromEnv('smtps://relay.example.com', SMTP_PRIMARY)?.[0]).toMatchObject({ port: 465, secure: true });
  });

  it.each([
    ['https://relay.example.com', 'entry 1 must be smtp://'],
    ['relay.example.com', 'entry 1 is not a URL'],
    ['smtp://relay.example.com/path', 'without a path or query'],
    ['smtp://relay.example.com?tls=1', 'without a path or query'],
    ['smtp://relay.example.com:0', 'port from 1 to 65535'],
    ['smtp://relay.example.com:70000', 'is not a URL'],
    ['smtp://user@relay.example.com', 'both a user and a password'],
    ['smtp://ok.example.com,smtp://u:%E0%A4%A@relay.example.com', 'entry 2 has a malformed percent-encoding'],
  ])('refuses %s, naming the variable and the entry', (raw, problem) => {
    const error = configError(() => smtpFailoverFromEnv(raw, SMTP_PRIMARY));
    expect(error.variable).toBe('SMTP_FAILOVER_URLS');
    expect(error.message).toContain(problem);
  });

  it('never echoes an entry, which may hold a password', () => {
    for (const raw of ['ftp://user:hunter2secret@relay.example.com', 'smtp://user:hunter2secret@relay.example.com/x', 'smtp://:hunter2secret@relay.example.com']) {
      expect(configError(() => smtpFailoverFromEnv(raw, SMTP_PRIMARY)).message).not.toContain('hunter2secret');
    }
  });

  it('requires SMTP_HOST', () => {
    expect(configError(() => smtpFailoverFromEnv('smtp://relay.example.com', undefined)).message).toBe(
      'SMTP_FAILOVER_URLS requires SMTP_HOST (the relays are tried after it)',
    );
  });
});

describe('TWILIO_FAILOVER_URLS', () => {
  it('reads each account and address in order; senders come from the query when given', () => {
    const raw = [
      `https://${SID_2}:second%2Ftoken@api.example.com`,
      `http://${SID_2}:t3@127.0.0.1:4010/twilio/?smsFrom=%2B15550001111&whatsappFrom=%2B15550002222`,
      `http://${SID_2}:t4@localhost:4011?messagingServiceSid=${SERVICE}`,
    ].join(',');
    expect(twilioFailoverFromEnv(raw, TWILIO_PRIMARY)).toEqual([
      { accountSid: SID_2, authToken: 'second/token', apiBaseUrl: 'https://api.example.com' },
      {
        accountSid: SID_2,
        authToken: 't3',
        apiBaseUrl: 'http://127.0.0.1:4010/twilio/',
        smsFrom: '+15550001111',
        whatsappFrom: '+15550002222',
      },
      { accountSid: SID_2, authToken: 't4', apiBaseUrl: 'http://localhost:4011', messagingServiceSid: SERVICE },
    ]);
  });

  it.each([
    [`http://${SID_2}:t@api.example.com`, 'https://'],
    [`http://${SID_2}:t@10.0.0.8:4010`, 'loopback only'],
    [`ftp://${SID_2}:t@127.0.0.1`, 'must be https://'],
    ['https://ACshort:t@api.example.com', 'account SID'],
    [`https://${SID_2}@api.example.com`, 'auth token'],
    [`https://${SID_2}:t@api.example.com?smsFrom=15550001111`, 'smsFrom must be an E.164 number'],
    [`https://${SID_2}:t@api.example.com?messagingServiceSid=MG1`, 'messagingServiceSid must be "MG"'],
    [`https://${SID_2}:t@api.example.com?from=%2B15550001111`, 'unknown query parameter "from"'],
    [`https://${SID_2}:t@api.example.com?smsFrom=%2B15550001111&smsFrom=%2B15550001112`, 'sets smsFrom twice'],
    [`https://${SID_2}:t@api.example.com#x`, 'must be https://'],
  ])('refuses %s, naming the variable', (raw, problem) => {
    const error = configError(() => twilioFailoverFromEnv(raw, TWILIO_PRIMARY));
    expect(error.variable).toBe('TWILIO_FAILOVER_URLS');
    expect(error.message).toContain('entry 1');
    expect(error.message).toContain(problem);
  });

  it('never echoes a token', () => {
    for (const raw of [`http://${SID_2}:tok3nSecret@example.com`, 'https://ACbad:tok3nSecret@example.com', `https://${SID_2}:tok3nSecret@x?y=1`]) {
      expect(configError(() => twilioFailoverFromEnv(raw, TWILIO_PRIMARY)).message).not.toContain('tok3nSecret');
    }
  });

  it('requires the primary account', () => {
    expect(configError(() => twilioFailoverFromEnv(`https://${SID_2}:t@api.example.com`, undefined)).variable).toBe(
      'TWILIO_FAILOVER_URLS',
    );
  });
});

describe('failover variables of the standalone app', () => {
  const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/messaging', JWT_SECRET: 'x'.repeat(32) };

  it('has no failover lists by default', () => {
    const { messaging } = loadConfig(base);
    expect(messaging.smtpFailover).toBeUndefined();
    expect(messaging.twilioFailover).toBeUndefined();
  });

  it('builds smtpFailover and twilioFailover from the variables and the primary settings', () => {
    const { messaging } = loadConfig({
      ...base,
      SMTP_HOST: 'mail.example.com',
      EMAIL_FROM: 'no-reply@example.com',
      SMTP_TIMEOUT_MS: '2500',
      SMTP_FAILOVER_URLS: 'smtp://relay-2.example.com:2525',
      TWILIO_ACCOUNT_SID: SID,
      TWILIO_AUTH_TOKEN: 'primary',
      TWILIO_SMS_FROM: '+15005550006',
      TWILIO_FAILOVER_URLS: `https://${SID_2}:second@api.example.com`,
    });
    expect(messaging.smtpFailover).toEqual([
      { host: 'relay-2.example.com', port: 2525, secure: false, from: 'no-reply@example.com', timeoutMs: 2_500 },
    ]);
    expect(messaging.twilioFailover).toEqual([{ accountSid: SID_2, authToken: 'second', apiBaseUrl: 'https://api.example.com' }]);
  });

  it('refuses SMTP_FAILOVER_URLS without SMTP_HOST and TWILIO_FAILOVER_URLS without an account', () => {
    expect(() => loadConfig({ ...base, SMTP_FAILOVER_URLS: 'smtp://relay.example.com' })).toThrow('SMTP_FAILOVER_URLS');
    expect(() => loadConfig({ ...base, TWILIO_FAILOVER_URLS: `https://${SID_2}:t@api.example.com` })).toThrow('TWILIO_FAILOVER_URLS');
  });
});
