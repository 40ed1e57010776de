/**
 * RFC 5321 limits: 64 octets of local part; the path is at most 256 octets
 * with its angle brackets, i.e. 254 for the address. Some relays (the npm
 * smtp-server among them) count one octet more and refuse 254, which would
 * surface as a SEND_FAILED after the log row: 253 is accepted everywhere.
 */
const MAX_LOCAL_PART = 64;
export const MAX_ADDRESS_LENGTH = 253;

/** RFC 5322 dot-atom local part (no quoted strings, no comments). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A DNS name of two or more labels, ASCII (IDNs in their xn-- form). */
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
/** Any ASCII control character, CR and LF included. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A bare address (`user@example.com`): no display name, no list, no
 * whitespace or control characters, so a string can never smuggle in another
 * recipient or a header line.
 */
export function isEmailAddress(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > MAX_ADDRESS_LENGTH) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= MAX_LOCAL_PART && LOCAL_PART.test(local) && DOMAIN.test(domain) && /[A-Za-z]/.test(domain);
}

/** Why `value` is not one address (`field` names it in the message), or undefined if it is. */
export function addressProblem(value: unknown, field: string): string | undefined {
  if (typeof value !== 'string') return `${field} must be a string`;
  if (CONTROL.test(value)) return `${field} must not contain line breaks or control characters`;
  if (!isEmailAddress(value)) return `${field} must be a single email address like user@example.com`;
  return undefined;
}

/**
 * Why `value` is not "an address or a non-empty list of addresses", or
 * undefined if it is. The first bad entry is named by index (`cc[2]`).
 */
export function recipientsProblem(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return addressProblem(value, field);
  if (!Array.isArray(value)) return `${field} must be an email address or a list of email addresses`;
  if (value.length === 0) return `${field} must not be an empty list`;
  for (const [index, item] of value.entries()) {
    const problem = addressProblem(item, `${field}[${index}]`);
    if (problem) return problem;
  }
  return undefined;
}

/** `"a@x"` → `["a@x"]`; lists as they are; absent → undefined. */
export function toAddressList(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? [value] : [...value];
}

/** Recipients counted towards the cap (only lists that are valid are counted). */
export function countRecipients(...fields: unknown[]): number {
  return fields.reduce<number>((total, value) => {
    if (typeof value === 'string') return total + 1;
    return Array.isArray(value) ? total + value.length : total;
  }, 0);
}
