import { createHash } from 'node:crypto';
import { MessagingError } from '../errors/messaging.errors.js';
import { idempotencyRecordId, InvalidIdempotencyKeyError, readIdempotencyKey, type HeaderSource } from './idempotency-key.js';

const withKey = (value: string | string[] | undefined, rawHeaders?: string[]): HeaderSource => ({
  headers: { 'idempotency-key': value, 'content-type': 'application/json' },
  rawHeaders: rawHeaders ?? (typeof value === 'string' ? ['Idempotency-Key', value, 'Content-Type', 'application/json'] : []),
});

function problemOf(source: HeaderSource): MessagingError {
  try {
    readIdempotencyKey(source);
  } catch (error) {
    if (error instanceof MessagingError) return error;
    throw error;
  }
  throw new Error('expected the key to be refused');
}

describe('readIdempotencyKey', () => {
  it('returns undefined when the header is absent: the request is handled as without the feature', () => {
    expect(readIdempotencyKey({ headers: {}, rawHeaders: [] })).toBeUndefined();
    expect(readIdempotencyKey({ headers: {} })).toBeUndefined();
  });

  it.each([
    ['one character', 'k'],
    ['255 characters', 'k'.repeat(255)],
    ['a UUID', '0b9c4d52-5f0e-4c43-9a56-0b7f3a7c2e11'],
    ['every visible ASCII character', Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('')],
  ])('accepts %s', (_case, key) => {
    expect(readIdempotencyKey(withKey(key))).toBe(key);
  });

  it.each([
    ['an empty value', '', 'it is empty'],
    ['256 characters', 'k'.repeat(256), 'longer than 255'],
    ['a space', 'order 42', 'visible ASCII'],
    ['a tab', 'order\t42', 'visible ASCII'],
    ['a control character', 'order\u000142', 'visible ASCII'],
    ['DEL', 'order\u007f', 'visible ASCII'],
    ['a Latin-1 character', 'café', 'visible ASCII'],
    ['values Node joined from a repeated header', 'a, b', 'visible ASCII'],
  ])('refuses %s with VALIDATION_ERROR naming the header', (_case, key, reason) => {
    const error = problemOf(withKey(key));
    expect(error).toBeInstanceOf(InvalidIdempotencyKeyError);
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.status).toBe(400);
    expect(error.message).toContain('Idempotency-Key');
    expect(error.message).toContain(reason);
    expect(error.details).toEqual({ header: 'Idempotency-Key', errors: [expect.stringContaining(reason)] });
  });

  it('refuses a header sent twice, even with identical values', () => {
    const raw = ['Idempotency-Key', 'abc', 'idempotency-key', 'abc'];
    expect(problemOf(withKey('abc, abc', raw)).message).toContain('repeated');
    expect(problemOf({ headers: { 'idempotency-key': ['abc', 'abc'] } }).message).toContain('repeated');
  });
});

describe('idempotencyRecordId', () => {
  it('is sha256(subject, NUL, key) in hex', () => {
    const expected = createHash('sha256').update('client-a\0key-1').digest('hex');
    expect(idempotencyRecordId('client-a', 'key-1')).toBe(expected);
  });

  it('scopes keys per subject, without ambiguity between subject and key', () => {
    expect(idempotencyRecordId('client-a', 'key')).not.toBe(idempotencyRecordId('client-b', 'key'));
    expect(idempotencyRecordId('ab', 'c')).not.toBe(idempotencyRecordId('a', 'bc'));
  });

  it('scopes keys per tenant too, keeping the old id when the tenant is the subject', () => {
    expect(idempotencyRecordId('svc', 'key', 'acme')).not.toBe(idempotencyRecordId('svc', 'key', 'globex'));
    expect(idempotencyRecordId('svc', 'key', 'acme')).toBe(createHash('sha256').update('acme\0svc\0key').digest('hex'));
    expect(idempotencyRecordId('svc', 'key', 'svc')).toBe(idempotencyRecordId('svc', 'key'));
  });
});
