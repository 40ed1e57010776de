/**
 * Cursor paging tokens: an opaque base64url string holding the position of
 * the last row of a page, `(createdAt, _id)`. The next page starts strictly
 * after that position in the newest-first order, so its cost does not grow
 * with depth and rows inserted meanwhile never shift it.
 *
 * The token is only a position, not a signature: decoding is strict
 * (canonical base64url, one exact layout, a real date) so that no input can
 * reach the query as anything but a date and an ObjectId.
 */
import { MAX_CURSOR_LENGTH } from '../common/limits.js';

/** Where a page ended: the sort key of its last row. */
export interface LogPosition {
  createdAt: Date;
  /** 24 lowercase hex digits (an ObjectId). */
  id: string;
}

/** Layout version, so the format can change without misreading old tokens. */
const VERSION = 'v1';
const PAYLOAD = /^v1:(\d{1,16}):([0-9a-f]{24})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** ECMAScript's largest representable Date, in ms. */
const MAX_DATE_MS = 8.64e15;

/** The token for the position after `position`. */
export function encodeLogCursor(position: LogPosition): string {
  const payload = `${VERSION}:${position.createdAt.getTime()}:${position.id.toLowerCase()}`;
  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** The position in a token, or `undefined` when the token is not one we issued (in this layout). */
export function decodeLogCursor(token: string): LogPosition | undefined {
  if (token.length === 0 || token.length > MAX_CURSOR_LENGTH || !BASE64URL.test(token)) return undefined;
  const payload = Buffer.from(token, 'base64url').toString('utf8');
  // Node ignores stray bits and bad characters when decoding: re-encoding
  // must give the same token, or it is not canonical.
  if (Buffer.from(payload, 'utf8').toString('base64url') !== token) return undefined;
  const match = PAYLOAD.exec(payload);
  if (!match) return undefined;
  const millis = Number(match[1]);
  if (!Number.isSafeInteger(millis) || millis > MAX_DATE_MS) return undefined;
  return { createdAt: new Date(millis), id: match[2] };
}
