import type { Type } from '@nestjs/common';
import { MAX_BATCH_MESSAGES } from '../common/batch-limits.js';
import { MessagingError, ValidationError } from '../errors/messaging.errors.js';
import { createMessagingValidationPipe } from '../errors/validation.pipe.js';

/** An item of a batch that is not sent, by its index in `messages`, in the single route's error shape. */
export interface BatchItemError {
  index: number;
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** The items of a batch body: each valid one as its single route's DTO, or why it is not. */
export type BatchItem<T> = { index: number; value: T } | BatchItemError;

/**
 * The single routes' own pipe (messaging-input.decorator.ts): the same structural limits
 * (input-shape.ts) per message, class-transformer into the DTO, class-validator with the same
 * whitelist and forbid settings, and the same VALIDATION_ERROR envelope.
 */
const itemPipe = createMessagingValidationPipe(true);

/**
 * Reads a batch body, `{ "messages": [ ...1 to 1,000 single-route bodies... ] }`. Anything else is a
 * VALIDATION_ERROR for the whole request (400); each message is then validated on its own, exactly as
 * the single route validates its body, so one bad message is reported by index and the others go on.
 */
export async function readBatch<T extends object>(body: unknown, dto: Type<T>): Promise<BatchItem<T>[]> {
  const messages = batchMessages(body);
  const items: BatchItem<T>[] = [];
  for (const [index, message] of messages.entries()) {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      items.push(itemError(index, new ValidationError('Invalid request: each message must be a JSON object')));
      continue;
    }
    try {
      items.push({ index, value: (await itemPipe.transform(message, { type: 'custom', metatype: dto })) as T });
    } catch (error) {
      if (!(error instanceof MessagingError)) throw error;
      items.push(itemError(index, error));
    }
  }
  return items;
}

/** The error of one message, as the single route would answer it (its envelope's `error`). */
export function itemError(index: number, error: MessagingError): BatchItemError {
  return { index, error: error.toEnvelope().error };
}

function batchMessages(body: unknown): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError('Invalid request: the body must be an object with "messages", a list of 1 to 1000 messages');
  }
  const unknown = Object.keys(body).filter((key) => key !== 'messages');
  if (unknown.length > 0) {
    throw ValidationError.listing('Invalid request', unknown.map((field) => ({ field, errors: [`property ${field} should not exist`] })));
  }
  const messages = (body as { messages?: unknown }).messages;
  const problem = !Array.isArray(messages)
    ? 'messages must be a list of messages'
    : messages.length === 0
      ? 'messages must contain at least 1 message'
      : messages.length > MAX_BATCH_MESSAGES
        ? `messages must contain no more than ${MAX_BATCH_MESSAGES} messages`
        : undefined;
  if (problem) throw ValidationError.listing('Invalid request', [{ field: 'messages', errors: [problem] }]);
  return messages as unknown[];
}
