import mongoose from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../common/channel-names.js';
import {
  SUPPRESSION_REASONS,
  SUPPRESSION_SCOPES,
  SUPPRESSION_SOURCES,
  type SuppressionReason,
  type SuppressionScope,
  type SuppressionSource,
} from '../common/consent-fields.js';

/** Collection of the suppression list (beside `message_logs`, on the same connection). */
export const SUPPRESSION_COLLECTION = 'suppressions';
/** Mongoose model name; distinctive, so a host's own models never clash. */
export const SUPPRESSION_MODEL_NAME = 'MessagingSuppression';
export const SUPPRESSION_MODEL = Symbol('SUPPRESSION_MODEL');
/** Name of the unique index on `{ tenant, channel, address, scope }`; it also serves the check before every send. */
export const SUPPRESSION_INDEX_NAME = 'tenant_channel_address_scope_unique';

/**
 * The tenant of entries that hold for every tenant: a STOP texted to our Twilio number opts the sender
 * out of the number, whichever tenant sent the message it answers. Never a token subject in practice.
 */
export const EVERY_TENANT = '*';

/** One address that must not receive messages of `scope` from `tenant` on `channel`. */
export interface Suppression {
  tenant: string;
  channel: ChannelName;
  /** Normalised (consent/suppression-address.ts): a lower-case email address, or an E.164 number. */
  address: string;
  scope: SuppressionScope;
  reason: SuppressionReason;
  source: SuppressionSource;
  createdAt: Date;
}

export const SuppressionSchema = new mongoose.Schema<Suppression>(
  {
    tenant: { type: String, required: true },
    channel: { type: String, required: true, enum: CHANNEL_NAMES },
    address: { type: String, required: true },
    scope: { type: String, required: true, enum: SUPPRESSION_SCOPES },
    reason: { type: String, required: true, enum: SUPPRESSION_REASONS },
    source: { type: String, required: true, enum: SUPPRESSION_SOURCES },
    createdAt: { type: Date, required: true },
  },
  {
    collection: SUPPRESSION_COLLECTION,
    versionKey: false,
    // Fail at once when the database is unreachable (503, nothing sent) instead of buffering.
    bufferCommands: false,
    // Built at startup by SuppressionIndexes, which logs instead of crashing when the database refuses it.
    autoIndex: false,
  },
);
