import { isChannelName, type ChannelName } from '../common/channel-names.js';
import { REQUEST_ID_PATTERN } from '../common/request-id.js';
import type { ChannelMessages } from '../providers/channel-ports.js';
import type { MessageCategory } from '../common/consent-fields.js';

/** Name of the BullMQ queue of deliveries (its keys live under the `redis.keyPrefix`). */
export const DELIVERY_QUEUE_NAME = 'messaging-delivery';

/** Version of the job payload; a worker refuses a version it does not know instead of guessing. */
export const DELIVERY_JOB_VERSION = 1;

export type { ChannelMessages };

/** A channel and its ready-to-send message. */
export type ChannelMessage = {
  [C in ChannelName]: { channel: C; message: ChannelMessages[C] };
}[ChannelName];

/**
 * The data of one delivery job. The job id is the log row's id, so adding
 * the same message twice adds it once. The message body travels here, in
 * Redis, and nowhere else: the log never stores bodies, and the job is
 * removed once it completes.
 */
export type DeliveryJobData = ChannelMessage & {
  v: typeof DELIVERY_JOB_VERSION;
  /** `_id` of the message log row, 24 hex digits. */
  logId: string;
  /** The id of the request that queued it: the worker's log lines carry it too. Optional (older jobs). */
  requestId?: string;
  /** Whose suppression list the worker checks again, and the message's category; see DeliveryProcessor. */
  consent?: JobConsent;
};

/** The consent context a worker checks the message against (consent/consent-gate.ts). */
export interface JobConsent {
  tenant: string;
  category: MessageCategory;
}

const LOG_ID = /^[0-9a-f]{24}$/;

/**
 * Checks what a worker read from Redis before acting on it: the shape it
 * relies on (version, row id, channel, a message object). Returns why it is
 * unusable, or undefined.
 */
export function deliveryJobProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'the job has no data';
  const record = data as Record<string, unknown>;
  if (record['v'] !== DELIVERY_JOB_VERSION) return `unknown job version ${String(record['v'])}`;
  if (typeof record['logId'] !== 'string' || !LOG_ID.test(record['logId'])) return 'the job has no log row id';
  if (!isChannelName(record['channel'])) return 'the job has no known channel';
  const requestId = record['requestId'];
  if (requestId !== undefined && (typeof requestId !== 'string' || !REQUEST_ID_PATTERN.test(requestId))) {
    return 'the job has a malformed request id';
  }
  const message = record['message'];
  if (typeof message !== 'object' || message === null) return 'the job has no message';
  return undefined;
}
