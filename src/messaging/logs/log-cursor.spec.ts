import { createHmac } from 'node:crypto';
import { MAX_CURSOR_LENGTH } from '../common/limits.js';
import { decodeLogCursor as decodeWith, encodeLogCursor as encodeWith, logCursorKey, type LogPosition } from './log-cursor.js';

const key = logCursorKey('s'.repeat(32));
const encodeLogCursor = (position: LogPosition) => encodeWith(position, key);
const decodeLogCursor = (token: string) => decodeWith(token, key);
const position = { createdAt: new Date('2025-01-15T10:30:00.123Z'), id: '65a1b2c3d4e5f6a7b8c9d0e1' };
const tokenOf = (payload: string) => Buffer.from(payload, 'utf8').toString('base64url');

describe('log cursor', () => {
  it('round-trips a position through an opaque base64url token', () => {
    const token = encodeLogCursor(position);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThanOrEqual(MAX_CURSOR_LENGTH);
    expect(decodeLogCursor(token)).toEqual(position);
  });

  it('normalizes the id to lowercase hex', () => {
    const token = encodeLogCursor({ ...position, id: position.id.toUpperCase() });
    expect(decodeLogCursor(token)?.id).toBe(position.id);
  });

  it('keeps the epoch and the largest date', () => {
    for (const createdAt of [new Date(0), new Date(8.64e15)]) {
      expect(decodeLogCursor(encodeLogCursor({ createdAt, id: position.id }))?.createdAt).toEqual(createdAt);
    }
  });

  it.each([
    ['empty', ''],
    ['padding', `${encodeLogCursor(position)}=`],
    ['standard base64 alphabet', tokenOf('v1:1736937000123:65a1b2c3d4e5f6a7b8c9d0e1').replace(/-/g, '+') + '+/'],
    ['spaces', ` ${encodeLogCursor(position)}`],
    ['too long', 'A'.repeat(MAX_CURSOR_LENGTH + 1)],
    ['another version', tokenOf('v2:1736937000123:65a1b2c3d4e5f6a7b8c9d0e1')],
    ['a short id', tokenOf('v1:1736937000123:65a1b2c3d4e5f6a7b8c9d0')],
    ['uppercase id', tokenOf('v1:1736937000123:65A1B2C3D4E5F6A7B8C9D0E1')],
    ['negative time', tokenOf('v1:-1:65a1b2c3d4e5f6a7b8c9d0e1')],
    ['time past the last date', tokenOf('v1:8640000000000001:65a1b2c3d4e5f6a7b8c9d0e1')],
    ['trailing data', tokenOf('v1:1736937000123:65a1b2c3d4e5f6a7b8c9d0e1:x')],
    ['an operator object', tokenOf('{"createdAt":{"$gt":0},"_id":{"$ne":null}}')],
    ['not base64 at all', '%%%'],
  ])('refuses a malformed token: %s', (_label, token) => {
    expect(decodeLogCursor(token)).toBeUndefined();
  });

  it('refuses a non-canonical encoding of a valid payload (stray trailing bits)', () => {
    // A 12-digit time makes the token 56 bytes, whose base64url ends with 2 unused bits.
    const token = encodeLogCursor({ ...position, createdAt: new Date(999_999_999_999) });
    // The last character carries unused low bits; changing them decodes to the same bytes.
    const last = token.at(-1) as string;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) + 1];
    const altered = token.slice(0, -1) + sibling;
    expect(Buffer.from(altered, 'base64url').equals(Buffer.from(token, 'base64url'))).toBe(true);
    expect(decodeLogCursor(altered)).toBeUndefined();
  });

  describe('only cursors the API issued', () => {
    const real = encodeLogCursor(position);
    const payloadOf = (token: string) => Buffer.from(token, 'base64url').subarray(0, -16).toString('utf8');

    it.each([
      ['the issue example v1:0:<id>', tokenOf(`v1:0:${position.id}`)],
      ['a well-formed v1 position (the old unsigned layout)', tokenOf(`v1:1736937000123:${position.id}`)],
      ['a v2 payload with no MAC', tokenOf(`v2:0:${position.id}`)],
      ['another position with the MAC of the real one', Buffer.concat([Buffer.from(`v2:0:${position.id}`), Buffer.from(real, 'base64url').subarray(-16)]).toString('base64url')],
      ['a MAC computed with a guessed key', Buffer.concat([Buffer.from(`v2:0:${position.id}`), createHmac('sha256', 'guess').update(`v2:0:${position.id}`).digest().subarray(0, 16)]).toString('base64url')],
      ['a token issued under another secret', encodeWith(position, logCursorKey('t'.repeat(32)))],
      ['a truncated token', real.slice(0, -4)],
    ])('refuses %s', (_label, token) => {
      expect(decodeLogCursor(token)).toBeUndefined();
    });

    it('issues a payload that still says where the page ended, behind a 16-byte MAC', () => {
      expect(payloadOf(real)).toBe(`v2:1736937000123:${position.id}`);
    });

    it('derives the same key from the same secret (several instances share cursors)', () => {
      expect(decodeWith(real, logCursorKey('s'.repeat(32)))).toEqual(position);
    });

    it('makes a random key without a secret (cursors valid within one process)', () => {
      expect(logCursorKey(undefined).equals(logCursorKey(undefined))).toBe(false);
    });
  });
});


describe('log cursor views', () => {
  it('works only for the view it was issued for: a tenant, or every tenant', () => {
    const ofAcme = encodeWith(position, key, 'acme');
    expect(decodeWith(ofAcme, key, 'acme')).toEqual(position);
    expect(decodeWith(ofAcme, key, 'globex')).toBeUndefined();
    expect(decodeWith(ofAcme, key, '')).toBeUndefined();
    expect(decodeWith(encodeWith(position, key), key, 'acme')).toBeUndefined();
  });
});
