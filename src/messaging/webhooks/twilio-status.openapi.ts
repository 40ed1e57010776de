import { TWILIO_STATUS_MAP } from '../common/delivery-receipts.js';

/**
 * The form Twilio posts to the status callback, as far as this service reads
 * it; Twilio adds more fields (From, To, ApiVersion...), all accepted.
 */
export const TWILIO_STATUS_FORM_SCHEMA = {
  type: 'object' as const,
  required: ['AccountSid', 'MessageSid', 'MessageStatus'],
  additionalProperties: { type: 'string' as const },
  properties: {
    AccountSid: { type: 'string' as const, pattern: '^AC[0-9a-fA-F]{32}$', description: 'The account that sent the message' },
    MessageSid: { type: 'string' as const, description: "The message's SID (the log row's `messageId`)" },
    MessageStatus: { type: 'string' as const, enum: Object.keys(TWILIO_STATUS_MAP) },
    ErrorCode: { type: 'string' as const, description: "Twilio's error code, on `undelivered` and `failed`" },
  },
};
