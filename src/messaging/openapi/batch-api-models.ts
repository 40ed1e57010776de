import { applyDecorators } from '@nestjs/common';
import { MAX_BATCH_MESSAGES } from '../common/batch-limits.js';
import { ApiResponse } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { COMMON_ERROR_CODES } from './api-error-responses.js';

/** Codes a single message of a batch can be refused with (its `results[].error.code`). */
export const BATCH_ITEM_ERROR_CODES = [
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.TEMPLATE_NOT_FOUND,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.RECIPIENT_SUPPRESSED,
  // Its job could not be enqueued while others of the batch were (AsyncDelivery.acceptBatch).
  ErrorCode.SERVICE_UNAVAILABLE,
] as const;

/** Errors of a batch route as a whole (the message-level ones are in the 202's results). */
export const BATCH_ERROR_CODES = [
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.PROVIDER_NOT_CONFIGURED,
  ErrorCode.QUEUE_NOT_CONFIGURED,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.SERVICE_UNAVAILABLE,
  ...COMMON_ERROR_CODES,
] as const;

const INDEX = { type: 'integer', minimum: 0, maximum: MAX_BATCH_MESSAGES - 1, description: 'Position of the message in `messages`' };

const ACCEPTED_ITEM = {
  title: 'BatchItemAccepted',
  type: 'object',
  required: ['index', 'messageId', 'status'],
  additionalProperties: false,
  properties: {
    index: INDEX,
    messageId: { type: 'string', pattern: '^[0-9a-f]{24}$', description: 'Id of the log row: GET /messaging/logs/{messageId}' },
    status: { type: 'string', enum: ['queued', 'scheduled'] },
    sendAt: { type: 'string', format: 'date-time', description: 'Scheduled messages: when it is to go out (UTC)' },
    suppressed: { type: 'array', items: { type: 'string' }, description: 'Email: recipients left out, on the suppression list' },
  },
};

const REJECTED_ITEM = {
  title: 'BatchItemRejected',
  type: 'object',
  required: ['index', 'error'],
  additionalProperties: false,
  properties: {
    index: INDEX,
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      description: 'What the single route would answer for this message; nothing was sent for it',
      properties: {
        code: { type: 'string', enum: [...BATCH_ITEM_ERROR_CODES] },
        message: { type: 'string' },
        details: { type: 'object', additionalProperties: true },
      },
    },
  },
};

/** The 202 of the batch routes, described inline so every field is exact. */
export const BATCH_ACCEPTED_SCHEMA = {
  type: 'object',
  required: ['accepted', 'rejected', 'results'],
  additionalProperties: false,
  properties: {
    accepted: { type: 'integer', minimum: 0, maximum: MAX_BATCH_MESSAGES, description: 'Messages queued (or scheduled)' },
    rejected: { type: 'integer', minimum: 0, maximum: MAX_BATCH_MESSAGES, description: 'Messages refused, each with its error' },
    results: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_MESSAGES,
      description: 'One entry per message, in the order of `messages`',
      items: { oneOf: [ACCEPTED_ITEM, REJECTED_ITEM] },
    },
  },
};

/** The 202 answer of a batch route. */
export function ApiBatchAccepted(): MethodDecorator {
  return applyDecorators(
    ApiResponse({
      status: 202,
      description:
        'The batch was read: every valid message is logged as `queued` (or `scheduled`) and handed to the delivery queue; ' +
        'the others are listed with their error and not sent',
      schema: BATCH_ACCEPTED_SCHEMA,
    }),
  );
}
