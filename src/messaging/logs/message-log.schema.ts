import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import mongoose, { type HydratedDocument } from 'mongoose';

export const CHANNELS = ['email', 'sms', 'whatsapp'] as const;
export type MessageChannel = (typeof CHANNELS)[number];

/**
 * `pending`: row written, provider not yet answered. `sent`: provider accepted.
 * `failed`: provider refused or unreachable (see `error`).
 */
export const MESSAGE_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export interface MessageLogError {
  code: string;
  message: string;
  /** The provider's own code: SMTP reply code, Twilio error code. */
  providerCode?: string;
}

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

  /** The token subject of the caller. */
  @Prop({ type: String })
  requestedBy?: string;

  createdAt!: Date;
  updatedAt!: Date;
}

export type MessageLogDocument = HydratedDocument<MessageLog>;
export const MessageLogSchema = SchemaFactory.createForClass(MessageLog);

// Newest-first listing, unfiltered; _id breaks ties between equal timestamps.
MessageLogSchema.index({ createdAt: -1, _id: -1 });
// GET /messaging/logs?channel=… (and channel+status) newest first.
MessageLogSchema.index({ channel: 1, status: 1, createdAt: -1, _id: -1 });
// GET /messaging/logs?status=… newest first.
MessageLogSchema.index({ status: 1, createdAt: -1, _id: -1 });
// GET /messaging/logs?to=… newest first (multikey when `to` is a list).
MessageLogSchema.index({ to: 1, createdAt: -1, _id: -1 });
