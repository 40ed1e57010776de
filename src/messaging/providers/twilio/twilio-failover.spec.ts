import { completeFailoverTwilio } from './twilio-failover-options.js';
import { twilioFailoverKind } from './twilio-failover.js';
import type { TwilioFailure } from './twilio-errors.js';

describe('twilioFailoverKind', () => {
  it.each<[string, Omit<TwilioFailure, 'reason'>, string]>([
    ['a 503', { kind: 'server', retryable: true, httpStatus: 503 }, 'transient'],
    ['a 429', { kind: 'throttled', retryable: true, httpStatus: 429 }, 'transient'],
    ['a refused connection', { kind: 'network', retryable: true }, 'transient'],
    ['an unknown host (not retried, but nothing was sent)', { kind: 'network', retryable: false }, 'transient'],
    ['a 401 (this account\'s credentials)', { kind: 'rejected', retryable: false, httpStatus: 401, providerCode: 20003 }, 'transient'],
    ['a 403', { kind: 'rejected', retryable: false, httpStatus: 403 }, 'transient'],
    ['a 404 (no such account here)', { kind: 'rejected', retryable: false, httpStatus: 404, providerCode: 20404 }, 'transient'],
    ['a 400/21211 invalid number', { kind: 'rejected', retryable: false, httpStatus: 400, providerCode: 21211 }, 'permanent'],
    ['a 400/21610 unsubscribed', { kind: 'rejected', retryable: false, httpStatus: 400, providerCode: 21610 }, 'permanent'],
    ['a timeout (Twilio may have created it)', { kind: 'timeout', retryable: false }, 'ambiguous'],
    ['anything unexpected', { kind: 'unknown', retryable: false }, 'ambiguous'],
  ])('%s is %s', (_case, failure, kind) => {
    expect(twilioFailoverKind({ ...failure, reason: 'r' })).toBe(kind);
  });
});

describe('completeFailoverTwilio', () => {
  const primary = {
    accountSid: `AC${'1'.repeat(32)}`,
    authToken: 'one',
    smsFrom: '+15005550006',
    messagingServiceSid: `MG${'2'.repeat(32)}`,
    whatsappFrom: '+14155238886',
    apiBaseUrl: 'http://127.0.0.1:1',
    timeoutMs: 500,
    maxRetries: 1,
    retryBackoffMs: 20,
  };
  const own = { accountSid: `AC${'3'.repeat(32)}`, authToken: 'two' };

  it('takes the senders, deadline and retries of the primary, never its credentials or address', () => {
    expect(completeFailoverTwilio(primary, own)).toEqual({
      ...own,
      smsFrom: primary.smsFrom,
      messagingServiceSid: primary.messagingServiceSid,
      whatsappFrom: primary.whatsappFrom,
      timeoutMs: 500,
      maxRetries: 1,
      retryBackoffMs: 20,
    });
  });

  it('keeps its own SMS sender whole (a number alone replaces the primary\'s Messaging Service) and its own settings', () => {
    const entry = { ...own, apiBaseUrl: 'https://api.example.com', smsFrom: '+15550001111', whatsappFrom: '+15550002222', maxRetries: 0 };
    expect(completeFailoverTwilio(primary, entry)).toEqual({ ...entry, timeoutMs: 500, retryBackoffMs: 20 });
  });
});
