import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Cursor paging tokens: an opaque base64url string holding the position of
 * the last row of a page, `(createdAt, _id)`, and a MAC over it. The next
 * page starts strictly after that position in the newest-first order, so
 * its cost does not grow with depth and rows inserted meanwhile never shift
 * it.
 *
 * Why a MAC rather than stricter parsing: any date and ObjectId are a
 * position a real row may have (rows are seeded, imported, written by other
 * instances), so no structural rule tells `v1:0:<id>` from a token we
 * issued. An HMAC-SHA256 (truncated to 16 bytes) with a key derived from
 * configuration does: a token the API did not issue is refused, and every
 * instance configured alike accepts the others' tokens. Decoding is also
 * strict (canonical base64url, one exact layout, a real date), so no input
 * can reach the query as anything but a date and an ObjectId.
 */
import { MAX_CURSOR_LENGTH } from '../common/limits.js';

/** Where a page ended: the sort key of its last row. */
export interface LogPosition {
  createdAt: Date;
  /** 24 lowercase hex digits (an ObjectId). */
  id: string;
}

/** Layout version; v1 tokens (no MAC) are no longer accepted. */
const VERSION = 'v2';
const PAYLOAD = /^v2:(\d{1,16}):([0-9a-f]{24})$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAC_BYTES = 16;
/** ECMAScript's largest representable Date, in ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * The MAC key: derived (HKDF-SHA256) from `secret`, so instances sharing a
 * secret share cursors and the secret itself is never used twice for
 * different purposes; without one, random (cursors then only work on the
 * process that issued them, until it restarts).
 */
export function logCursorKey(secret: string | undefined): Buffer {
  if (!secret) return randomBytes(32);
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), 'fluxkit-messaging log cursor v2', 32));
}

/**
 * The token for the position after `position`. `view` names whose rows the
 * page showed (a tenant, or '' for every tenant): it is MACed with the
 * position but not carried, so a cursor only works for the same view, and a
 * cursor one tenant got is refused (400) when another tenant sends it.
 */
export function encodeLogCursor(position: LogPosition, key: Buffer, view = ''): string {
  const payload = Buffer.from(`${VERSION}:${position.createdAt.getTime()}:${position.id.toLowerCase()}`, 'utf8');
  return Buffer.concat([payload, macOf(payload, key, view)]).toString('base64url');
}

/** The position in a token, or `undefined` when the token is not one we issued (with this key, for this view). */
export function decodeLogCursor(token: string, key: Buffer, view = ''): LogPosition | undefined {
  if (token.length === 0 || token.length > MAX_CURSOR_LENGTH || !BASE64URL.test(token)) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  // Node ignores stray bits and bad characters when decoding: re-encoding
  // must give the same token, or it is not canonical.
  if (bytes.toString('base64url') !== token || bytes.length <= MAC_BYTES) return undefined;
  const payload = bytes.subarray(0, -MAC_BYTES);
  if (!timingSafeEqual(bytes.subarray(-MAC_BYTES), macOf(payload, key, view))) return undefined;
  const match = PAYLOAD.exec(payload.toString('utf8'));
  if (!match) return undefined;
  const millis = Number(match[1]);
  if (!Number.isSafeInteger(millis) || millis > MAX_DATE_MS) return undefined;
  return { createdAt: new Date(millis), id: match[2] };
}

/** A view never holds NUL (tenant ids and subjects are printable), so payload and view cannot run into each other. */
function macOf(payload: Buffer, key: Buffer, view: string): Buffer {
  const mac = createHmac('sha256', key).update(payload);
  // The every-tenant view MACs the payload alone, as cursors did before tenants.
  if (view !== '') mac.update('\0').update(view, 'utf8');
  return mac.digest().subarray(0, MAC_BYTES);
}
