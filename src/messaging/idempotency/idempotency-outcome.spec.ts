import {
  ProviderNotConfiguredError,
  SendFailedError,
  ServiceUnavailableError,
  TemplateNotFoundError,
  ValidationError,
} from '../errors/messaging.errors.js';
import { keepsAnswer, replayedBody, storedAnswer, storedFailure } from './idempotency-outcome.js';

describe('what a request with an Idempotency-Key leaves behind', () => {
  it('keeps every 2xx answer, and any answer once a provider was called', () => {
    expect(keepsAnswer(200, false)).toBe(true);
    expect(keepsAnswer(202, false)).toBe(true);
    expect(keepsAnswer(400, false)).toBe(false);
    expect(keepsAnswer(400, true)).toBe(true);
  });

  it('stores the status, the body as JSON text and the answer headers', () => {
    const body = { messageId: 'SM1', status: 'queued', channel: 'sms', to: '+15550001111' };
    const stored = storedAnswer(202, body, { 'preference-applied': 'respond-async' });
    expect(stored).toEqual({ status: 202, body: JSON.stringify(body), headers: { 'preference-applied': 'respond-async' } });
    expect(replayedBody(stored)).toEqual(body);
    expect(storedAnswer(200, body)).not.toHaveProperty('headers');
    expect(replayedBody(storedAnswer(204, undefined))).toBeUndefined();
  });

  it('keeps SEND_FAILED as the envelope the client got: the provider was called, a retry must not call it again', () => {
    const error = new SendFailedError('Failed to send sms: refused', { channel: 'sms', provider: 'twilio', providerCode: 21211 });
    for (const providerCalled of [true, false]) {
      expect(storedFailure(error, providerCalled)).toEqual({ status: 500, body: JSON.stringify(error.toEnvelope()) });
    }
  });

  it('keeps an unexpected error after a provider call as the INTERNAL_ERROR envelope', () => {
    expect(storedFailure(new TypeError('boom'), true)).toEqual({
      status: 500,
      body: JSON.stringify({ error: { code: 'INTERNAL_ERROR', message: 'Internal server error' } }),
    });
  });

  it.each([
    ['VALIDATION_ERROR', new ValidationError('Invalid request: to')],
    ['PROVIDER_NOT_CONFIGURED', new ProviderNotConfiguredError('sms')],
    ['TEMPLATE_NOT_FOUND', new TemplateNotFoundError('nope')],
    ['SERVICE_UNAVAILABLE', new ServiceUnavailableError()],
    ['INTERNAL_ERROR', new TypeError('before any provider')],
  ])('releases the key after %s before any provider call (nothing was sent)', (_code, error) => {
    expect(storedFailure(error, false)).toBeUndefined();
  });
});
