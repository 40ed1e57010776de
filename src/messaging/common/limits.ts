// Limits that more than one folder enforces or documents: the folder that checks a value
// and the OpenAPI document or the provider that states it read the same constant.

/**
 * Recipients one message may have, to + cc + bcc together. Relays commonly
 * cap a message at 50-100 RCPTs; a bigger audience is a bulk send, which
 * this API is not for. The SMTP transport is sized to it too.
 */
export const MAX_RECIPIENTS_PER_MESSAGE = 50;

/** Page size of GET /messaging/logs. */
export const MAX_LIMIT = 100;
/**
 * Offset paging re-reads every skipped row; past this depth clients must use
 * `cursor`, whose cost does not grow with depth.
 */
export const MAX_OFFSET = 1_000_000;

/** A log cursor's payload is at most 44 bytes and its MAC 16, so a valid token is at most 80 characters. */
export const MAX_CURSOR_LENGTH = 96;
