// The values a message log row's enumerated fields take. They live here, not in
// logs/message-log.schema.ts, because the OpenAPI models and the queue describe the
// same fields, and those folders must not import logs/ (docs/architecture.md).

import { CHANNEL_NAMES, type ChannelName } from './channel-names.js';

/** The channels a row can be of: the channel registry's list (common/channel-names.ts). */
export const CHANNELS = CHANNEL_NAMES;
export type MessageChannel = ChannelName;

/**
 * `pending`: row written, provider not yet answered. `sent`: provider accepted.
 * `failed`: provider refused or unreachable (see `error`).
 * Asynchronous delivery (the queue) adds `queued` (accepted, waiting for a
 * worker), `scheduled` (waiting for `sendAt`) and `cancelled` (withdrawn
 * before a worker took it). Between two attempts of a queued message the row
 * stays `pending` with the last `error`.
 * Delivery receipts (Twilio status callbacks) move a `sent` row on to
 * `delivered` and `read`, or to `undelivered` / `failed` / `cancelled`
 * (common/delivery-receipts.ts); email rows stay `sent`. Consent adds
 * `suppressed` (not sent: every recipient is on the suppression list) and
 * `received` (an inbound message a recipient sent us).
 */
export const MESSAGE_STATUSES = [
  'pending',
  'sent',
  'failed',
  'queued',
  'scheduled',
  'cancelled',
  'delivered',
  'undelivered',
  'read',
  'suppressed',
  'received',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const ATTEMPT_OUTCOMES = ['sent', 'failed'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
