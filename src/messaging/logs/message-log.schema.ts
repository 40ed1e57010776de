import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import mongoose, { type HydratedDocument } from 'mongoose';
import {
  ATTEMPT_OUTCOMES,
  CHANNELS,
  MESSAGE_STATUSES,
  type MessageChannel,
  type MessageStatus,
} from '../common/message-log-fields.js';
import type { MessageLogAttachment, MessageLogAttempt, MessageLogError } from '../common/provider-receipt.js';
import type { ReceiptEvent } from '../common/delivery-receipts.js';
import { MESSAGE_CATEGORIES, MESSAGE_DIRECTIONS, type MessageCategory, type MessageDirection } from '../common/consent-fields.js';

// Defined in common/ (shared with the OpenAPI models and the providers); exported here as before.
export { ATTEMPT_OUTCOMES, CHANNELS, MESSAGE_STATUSES };
export type { AttemptOutcome, MessageChannel, MessageStatus } from '../common/message-log-fields.js';
export type { MessageLogAttachment, MessageLogAttempt, MessageLogError };

/** Subdocuments of `attempts`, without ids of their own. */
const MessageLogAttemptSchema = new mongoose.Schema<MessageLogAttempt>(
  {
    provider: { type: String, required: true },
    at: { type: Date, required: true },
    outcome: { type: String, required: true, enum: ATTEMPT_OUTCOMES },
    error: { type: { code: String, message: String, providerCode: String }, _id: false, default: undefined },
  },
  { _id: false },
);

/** Subdocuments of `events` (delivery receipts), without ids of their own. */
const MessageLogEventSchema = new mongoose.Schema<ReceiptEvent>(
  {
    status: { type: String, required: true },
    providerStatus: { type: String, required: true },
    at: { type: Date, required: true },
    errorCode: { type: String },
  },
  { _id: false },
);

/** Subdocuments of `attachments`: what was attached, never the content. */
const MessageLogAttachmentSchema = new mongoose.Schema<MessageLogAttachment>(
  {
    filename: { type: String, required: true },
    contentType: { type: String },
    size: { type: Number, required: true },
  },
  { _id: false },
);

/**
 * One row per send attempt. Message bodies are not stored: they may hold
 * one-time codes or personal data, and the log is read to answer "was it
 * sent", not "what did it say".
 */
@Schema({
  collection: 'message_logs',
  timestamps: true,
  versionKey: false,
  // Fail at once when the database is unreachable instead of buffering the
  // write: a send must not wait, and must not go out, without its row.
  bufferCommands: false,
})
export class MessageLog {
  @Prop({ type: String, required: true, enum: CHANNELS })
  channel!: MessageChannel;

  /** As the client gave it: one address, or a list. */
  @Prop({ type: mongoose.Schema.Types.Mixed, required: true })
  to!: string | string[];

  @Prop({ type: [String], default: undefined })
  cc?: string[];

  @Prop({ type: [String], default: undefined })
  bcc?: string[];

  @Prop({ type: String })
  subject?: string;

  @Prop({ type: String })
  template?: string;

  /** The template variant that rendered (`fr`, `fr-CA`); absent when the default rendered. */
  @Prop({ type: String })
  locale?: string;

  /** SMS: the parts the text is billed as, by GSM 03.38 (the text itself is not stored). */
  @Prop({ type: Number })
  segments?: number;

  /** WhatsApp approved template: its Twilio Content SID (`HX…`). */
  @Prop({ type: String })
  contentSid?: string;

  /** The keys of the template's `contentVariables`; the values may be personal data and are not stored. */
  @Prop({ type: [String], default: undefined })
  contentVariableNames?: string[];
  /** Email attachments: file name, type and size only. */
  @Prop({ type: [MessageLogAttachmentSchema], default: undefined })
  attachments?: MessageLogAttachment[];

  @Prop({ type: String, required: true, enum: MESSAGE_STATUSES })
  status!: MessageStatus;

  /** The provider's id for the message (SMTP Message-ID, Twilio SID). */
  @Prop({ type: String })
  messageId?: string;

  /** Which provider handled it: `smtp`, `twilio`, or a host's own. */
  @Prop({ type: String, required: true })
  provider!: string;

  @Prop({
    type: { code: String, message: String, providerCode: String },
    _id: false,
    default: undefined,
  })
  error?: MessageLogError;

  /**
   * Every provider tried, in order (one entry without failover), written with
   * the final status. `provider` then names the one that delivered, or the
   * last one tried when all failed.
   */
  @Prop({ type: [MessageLogAttemptSchema], default: undefined })
  attempts?: MessageLogAttempt[];

  /**
   * Delivery receipts accepted for this row, oldest first, the newest
   * MAX_RECEIPT_EVENTS kept (`$push` with `$slice`). Shown by GET /logs/:id only.
   */
  @Prop({ type: [MessageLogEventSchema], default: undefined })
  events?: ReceiptEvent[];

  /** The token subject of the caller. */
  @Prop({ type: String })
  requestedBy?: string;

  /**
   * The caller's tenant (its token's tenant claim, else its subject): the
   * logs API shows a row only to this tenant and to admins. Rows written
   * before tenants existed get their `requestedBy` (MessageLogIndexes backfills it).
   */
  @Prop({ type: String })
  tenant?: string;
  /** The X-Request-Id of the request that sent it (given or generated), to find its log lines. */
  @Prop({ type: String })
  requestId?: string;
  /** `transactional` or `marketing` (consent rules); rows written before it existed have none. */
  @Prop({ type: String, enum: MESSAGE_CATEGORIES })
  category?: MessageCategory;

  /** `inbound` for a message a recipient sent us; absent (or `outbound`) for ours. */
  @Prop({ type: String, enum: MESSAGE_DIRECTIONS })
  direction?: MessageDirection;

  /** Inbound rows: the number that wrote to us (`to` is our number). */
  @Prop({ type: String })
  from?: string;

  /** Recipients left out because they are on the suppression list (email), as the request wrote them. */
  @Prop({ type: [String], default: undefined })
  suppressed?: string[];

  /** When a scheduled message is to go out (the request's `sendAt`). */
  @Prop({ type: Date })
  sendAt?: Date;

  createdAt!: Date;
  updatedAt!: Date;
}

export type MessageLogDocument = HydratedDocument<MessageLog>;
export const MessageLogSchema = SchemaFactory.createForClass(MessageLog);

/*
 * Indexes: one per filter of GET /messaging/logs, each led by `tenant` (every
 * caller but an admin is held to its own tenant, so every query it makes
 * names one) and ending with the newest-first sort (createdAt desc, _id desc
 * as the tie-break), so a page is read straight off the index (no in-memory
 * sort) for offset and cursor paging alike, and counting a filter scans only
 * its range of the index. Combined filters use the index of their most
 * selective field; since/until narrow the createdAt part of whichever index
 * is chosen. `tenant` first also makes these indexes fit a shard key of
 * `{ tenant: 1, createdAt: -1 }` (docs/access.md).
 *
 * Mongoose does not build them (autoIndex off): MessageLogIndexes
 * (message-log.indexes.ts) creates them at startup, one by one, warning
 * instead of crashing when the database refuses one, and adds the optional
 * retention TTL index, which depends on runtime options.
 */
MessageLogSchema.set('autoIndex', false);

// An admin's GET /messaging/logs across every tenant, ?since=/?until= alone, and every cursor page of them.
// (An admin's filter across tenants reads this one newest first; ?tenant= makes it use the ones below.)
MessageLogSchema.index({ createdAt: -1, _id: -1 });
// A tenant's GET /messaging/logs with no filter (or ?since=/?until= alone).
MessageLogSchema.index({ tenant: 1, createdAt: -1, _id: -1 });
// ?channel=… newest first (the channel+status index below cannot give this
// order without a sort, since status varies within a channel).
MessageLogSchema.index({ tenant: 1, channel: 1, createdAt: -1, _id: -1 });
// ?channel=…&status=… newest first (e.g. the failed emails).
MessageLogSchema.index({ tenant: 1, channel: 1, status: 1, createdAt: -1, _id: -1 });
// ?status=… newest first (also ?status=queued or scheduled: what is still waiting).
// The queue workers and cancellation read and update rows by `_id` only, so
// the asynchronous statuses need no index of their own.
MessageLogSchema.index({ tenant: 1, status: 1, createdAt: -1, _id: -1 });
// ?to=… newest first; multikey, so a row whose `to` is a list is found by each of its addresses.
MessageLogSchema.index({ tenant: 1, to: 1, createdAt: -1, _id: -1 });
// ?template=… newest first.
MessageLogSchema.index({ tenant: 1, template: 1, createdAt: -1, _id: -1 });
// Delivery receipts find their row by the provider's message id (Twilio's MessageSid), whatever its tenant.
MessageLogSchema.index({ messageId: 1 });
// ?direction=inbound newest first (outbound rows may have no direction: `$in [outbound, null]`).
MessageLogSchema.index({ tenant: 1, direction: 1, createdAt: -1, _id: -1 });
