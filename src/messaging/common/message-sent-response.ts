import type { ChannelName } from './channel-names.js';

/**
 * The synchronous answer of a send on channel C: the provider's id; `to` echoes the request. The
 * services return it and the OpenAPI models implement it, so the two cannot drift apart.
 */
export interface MessageSentResponse<C extends ChannelName, To extends string | string[] = string> {
  /** The message log row's id (GET /messaging/logs/:id): follow delivery receipts there. */
  id: string;
  /** The provider's message id (SMTP Message-ID, Twilio Message SID). */
  messageId: string;
  status: 'sent';
  channel: C;
  to: To;
}
