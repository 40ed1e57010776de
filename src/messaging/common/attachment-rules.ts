// Email attachment rules shared by the request DTO and OpenAPI (channels/email), the send path
// (the size and extension checks), the module options and the environment: one place states them.

/** Attachments one email may carry. */
export const MAX_ATTACHMENTS = 10;
/** Decoded bytes of all attachments of one email together: 10 MiB. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Base64 characters of MAX_ATTACHMENT_BYTES: the longest one `content` can be. */
export const MAX_ATTACHMENT_BASE64_LENGTH = 4 * Math.ceil(MAX_ATTACHMENT_BYTES / 3);
/** Longest file name accepted (common file systems' limit), before cleaning. */
export const MAX_ATTACHMENT_FILENAME_LENGTH = 255;
/** Longest contentType and contentId. */
export const MAX_ATTACHMENT_HEADER_LENGTH = 255;
/**
 * What the attachment routes add to the body limit (BODY_LIMIT_BYTES): the
 * base64 of MAX_ATTACHMENT_BYTES and 64 KiB for the JSON around it. A body
 * that fits but decodes to more than MAX_ATTACHMENT_BYTES is refused by the
 * size check, with the same 413.
 */
export const ATTACHMENT_BODY_ALLOWANCE_BYTES = MAX_ATTACHMENT_BASE64_LENGTH + 64 * 1024;

/** Extensions refused by default: what Windows runs on a double click. */
export const DEFAULT_BLOCKED_EXTENSIONS: readonly string[] = ['exe', 'bat', 'cmd', 'com', 'js', 'vbs', 'scr', 'jar', 'msi', 'ps1'];
/** An entry of a blocked-extension list, after normalizeExtension. */
export const EXTENSION_PATTERN = /^[a-z0-9]{1,16}$/;
export const EXTENSION_RULE = '1 to 16 letters or digits, with or without a leading dot';

/** `.EXE` → `exe`: lists are matched case-insensitively and without the dot. */
export function normalizeExtension(extension: string): string {
  return extension.trim().replace(/^\./, '').toLowerCase();
}

/**
 * RFC 4648 base64 as one canonical string: standard alphabet, padded, no
 * line breaks or spaces, unused trailing bits zero (so a content has exactly
 * one spelling). The exact grammar as one regular expression; only for the
 * OpenAPI document: over 10 MiB V8 runs out of stack on its group, which is
 * why isStrictBase64 checks the same in steps. Searching for one character
 * outside the alphabet is 5x faster than matching the whole string against
 * it (45 ms rather than 240 ms on 12 MiB of base64).
 */
export const STRICT_BASE64_PATTERN = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$';
const OUTSIDE_ALPHABET = /[^A-Za-z0-9+/=]/;
/** The characters that may stand before `==` and before `=`: those whose unused low bits are zero. */
const BEFORE_TWO_PADS = 'AQgw';
const BEFORE_ONE_PAD = 'AEIMQUYcgkosw048';

export function isStrictBase64(value: string): boolean {
  if (value.length % 4 !== 0 || OUTSIDE_ALPHABET.test(value)) return false;
  const padding = value.indexOf('=');
  if (padding === -1) return true;
  if (padding < value.length - 2) return false; // `=` only as the last one or two characters
  // Read the one character directly: an end-anchored regex would scan the whole string again.
  return value.endsWith('==')
    ? BEFORE_TWO_PADS.includes(value.charAt(value.length - 3))
    : BEFORE_ONE_PAD.includes(value.charAt(value.length - 2));
}

/** Bytes a strict base64 string decodes to, without decoding it. */
export function decodedBase64Length(value: string): number {
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  return (value.length / 4) * 3 - padding;
}

/**
 * What must not reach a file name: control characters (C0, C1, DEL), format
 * characters (bidi overrides such as U+202E, which displays `invoice‮fdp.exe`
 * as `invoiceexe.pdf`; zero-width characters), line and paragraph
 * separators, lone surrogates, and the path separators `/` and `\`.
 */
const UNSAFE_FILENAME_CHARACTERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}/\\]/gu;

/**
 * The file name as sent: unsafe characters removed, then leading dots
 * (`..`, hidden files) and trailing dots and spaces (which Windows drops, so
 * `evil.exe.` opens as `evil.exe`) trimmed, with surrounding whitespace.
 * May be empty: the caller refuses that.
 */
export function cleanFilename(filename: string): string {
  return filename
    .replace(UNSAFE_FILENAME_CHARACTERS, '')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[.\s]+$/u, '')
    .trim();
}

/** The extension of a cleaned file name that is in `blocked` (lower case), or undefined. */
export function blockedExtension(cleanName: string, blocked: ReadonlySet<string>): string | undefined {
  const dot = cleanName.lastIndexOf('.');
  if (dot < 0) return undefined;
  const extension = cleanName.slice(dot + 1).trim().toLowerCase();
  return blocked.has(extension) ? extension : undefined;
}

/** `type/subtype` as RFC 6838 names them (no parameters): a header-safe Content-Type. */
export const MIME_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;
/**
 * A Content-ID without its angle brackets, as `cid:` URLs name it
 * (`logo@example.com`): RFC 5322 atext and dots, so nothing can end the
 * header or open a second one.
 */
export const CONTENT_ID_PATTERN = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.@-]+$/;
