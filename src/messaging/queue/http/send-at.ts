import { applyDecorators } from '@nestjs/common';
import { SEND_AT_PATTERN } from '../../common/send-at-format.js';
import { ApiPropertyOptional } from '../../common/swagger.js';
import { registerDecorator } from 'class-validator';
import { IsOmittable } from '../../errors/omittable.decorator.js';
import { parseIsoInstant } from '../../logs/dto/iso-instant.js';

/** How far ahead a message may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 30 * 86_400_000;
/**
 * How far in the past `sendAt` may be and still count as "now": the client's
 * clock and ours differ a little, and the request takes time to arrive.
 */
export const SEND_AT_SKEW_MS = 30_000;


/** The instant `sendAt` names, or undefined when it is not a real date-time with a zone. */
export function parseSendAt(value: string): Date | undefined {
  return SEND_AT_PATTERN.test(value) ? parseIsoInstant(value) : undefined;
}

/** Why `value` is not an acceptable `sendAt` at `now`, or undefined when it is. */
export function sendAtProblem(value: unknown, now = Date.now()): string | undefined {
  const at = typeof value === 'string' ? parseSendAt(value) : undefined;
  if (!at) return 'sendAt must be an ISO-8601 date-time with Z or an offset, like 2025-06-01T09:00:00Z';
  if (at.getTime() < now - SEND_AT_SKEW_MS) return 'sendAt must not be in the past';
  if (at.getTime() > now + MAX_SCHEDULE_AHEAD_MS) return 'sendAt must be at most 30 days ahead';
  return undefined;
}

/**
 * `sendAt` of the send requests: optional; when present the message is
 * scheduled (202, delivered by the queue at that time).
 */
export function IsSendAt(): PropertyDecorator {
  const validate: PropertyDecorator = (target, propertyName) =>
    registerDecorator({
      name: 'isSendAt',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => sendAtProblem(value) === undefined,
        defaultMessage: (args) => sendAtProblem(args?.value) ?? 'sendAt is invalid',
      },
    });
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      pattern: SEND_AT_PATTERN.source,
      description:
        'Schedule the message: an ISO-8601 date-time with Z or an offset, at most 30 days ahead (a few ' +
        'seconds in the past count as now). Implies asynchronous delivery: 202 with status `scheduled`. ' +
        'Needs the delivery queue (Redis); 400 QUEUE_NOT_CONFIGURED without it.',
    }),
    IsOmittable(),
    validate,
  );
}
