import twilio from 'twilio';
import { classifyTwilioError, TwilioTimeoutError } from './twilio-errors.js';

/** The error the SDK throws when Twilio answers `status` with Twilio's error body. */
function apiError(status: number, body: unknown): Error {
  return new twilio.RestException({ statusCode: status, body, headers: {} });
}

/** The shape of the errors axios (inside the SDK) throws when no answer arrives. */
function transportError(code: string): Error {
  return Object.assign(new Error(`transport ${code}`), { isAxiosError: true, code });
}

describe('classifyTwilioError', () => {
  it.each([
    [400, 21211, 'rejected', false],
    [400, 21610, 'rejected', false],
    [401, 20003, 'rejected', false],
    [404, 20404, 'rejected', false],
    [429, 20429, 'throttled', true],
    [500, 20500, 'server', true],
    [503, 20503, 'server', true],
  ] as const)('HTTP %i code %i is %s (retryable: %s)', (status, code, kind, retryable) => {
    const failure = classifyTwilioError(apiError(status, { code, message: 'm', more_info: 'u', status }));
    expect(failure).toEqual({ kind, retryable, providerCode: code, httpStatus: status, reason: 'm' });
  });

  it('keeps a 5xx without a JSON body retryable, with no provider code', () => {
    expect(classifyTwilioError(apiError(502, '<html>Bad gateway</html>'))).toEqual({
      kind: 'server',
      retryable: true,
      httpStatus: 502,
      reason: '[HTTP 502] Failed to execute request',
    });
  });

  it('reads the RFC 9457 error shape too (status and code fields)', () => {
    const error = Object.assign(new Error('Invalid parameter'), { status: 400, code: 21211 });
    expect(classifyTwilioError(error)).toMatchObject({ kind: 'rejected', retryable: false, providerCode: 21211 });
  });

  it('flattens and bounds the reason (it comes from a remote server)', () => {
    const failure = classifyTwilioError(apiError(400, { code: 21211, message: `bad\r\nX-Injected: 1${'x'.repeat(1000)}` }));
    expect(failure.reason).not.toMatch(/[\r\n]/);
    expect(failure.reason.length).toBeLessThanOrEqual(300);
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EAI_AGAIN'])('retries the network failure %s', (code) => {
    expect(classifyTwilioError(transportError(code))).toEqual({
      kind: 'network',
      retryable: true,
      reason: `could not reach Twilio (${code})`,
    });
  });

  it.each(['ENOTFOUND', 'CERT_HAS_EXPIRED', 'ERR_BAD_OPTION'])('does not retry the persistent failure %s', (code) => {
    expect(classifyTwilioError(transportError(code))).toMatchObject({ kind: 'network', retryable: false });
  });

  it.each(['ECONNABORTED', 'ETIMEDOUT'])('never retries the SDK timeout %s', (code) => {
    expect(classifyTwilioError(transportError(code))).toMatchObject({ kind: 'timeout', retryable: false });
  });

  it('never retries our own deadline', () => {
    expect(classifyTwilioError(new TwilioTimeoutError(500))).toEqual({
      kind: 'timeout',
      retryable: false,
      reason: 'Twilio did not answer within 500 ms',
    });
  });

  it('treats anything else as unknown and not retryable', () => {
    expect(classifyTwilioError(new TypeError('x is undefined'))).toMatchObject({ kind: 'unknown', retryable: false });
    expect(classifyTwilioError('boom')).toMatchObject({ kind: 'unknown', retryable: false });
  });
});
