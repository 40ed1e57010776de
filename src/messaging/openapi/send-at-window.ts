import type { OpenAPIObject } from '@nestjs/swagger';
import { SEND_AT_PATTERN } from '../common/send-at-format.js';
import type { SchemaObject } from './openapi-types.js';

const DAY_MS = 86_400_000;
/** Hours 00-23 and minutes 00-59, as the time and the offset of `sendAt` use them. */
const CLOCK = '(?:[01][0-9]|2[0-3]):[0-5][0-9]';
/** First and last day (counted from today, UTC) whose every time and offset is schedulable. */
const FIRST_DAY = 2;
const LAST_DAY = 28;

/**
 * The `sendAt` values the API accepts at `now` cannot be written as one fixed
 * pattern: they lie between now and 30 days ahead (queue/http/send-at.ts). A
 * generator given only the format draws past or far-future dates, which the
 * API refuses, so the document would promise what the API does not accept.
 *
 * This pattern names the calendar days from today + 2 to today + 28 (UTC):
 * any time of such a day, with any offset (at most ±23:59), is at least a
 * day ahead and at most 30 days ahead, so every value it admits is accepted
 * at `now` and for a day after it. The API accepts more (any instant up to 30
 * days ahead); the description says so.
 */
export function schedulableSendAtPattern(now: number): string {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const days: string[] = [];
  for (let day = FIRST_DAY; day <= LAST_DAY; day++) days.push(new Date(today + day * DAY_MS).toISOString().slice(0, 10));
  return `^(?:${days.join('|')})T${CLOCK}(?::[0-5][0-9](?:\\.[0-9]{1,9})?)?(?:Z|[+-]${CLOCK})$`;
}

/** An example `sendAt` inside that window: 09:00 UTC, FIRST_DAY days from now. */
export function exampleSendAt(now: number): string {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  return new Date(today + FIRST_DAY * DAY_MS + 9 * 3_600_000).toISOString().replace('.000Z', 'Z');
}

/**
 * A copy of `document` whose `sendAt` properties carry the pattern and
 * example of `now`. Meant for the document's serving (per request), so the
 * published window moves with the clock.
 */
export function withSendAtWindow(document: OpenAPIObject, now = Date.now()): OpenAPIObject {
  const copy = structuredClone(document);
  const pattern = schedulableSendAtPattern(now);
  const example = exampleSendAt(now);
  for (const schema of Object.values(copy.components?.schemas ?? {})) setSendAt(schema as SchemaObject, { pattern, example });
  return copy;
}

/**
 * Sets `window` on the request `sendAt` of `schema` and of its `oneOf` branches (template bodies have
 * them): the ones with IsSendAt's pattern, not the `sendAt` a 202 answer echoes (any instant).
 */
function setSendAt(schema: SchemaObject, window: { pattern: string; example: string }): void {
  const sendAt = schema.properties?.sendAt as SchemaObject | undefined;
  if (sendAt?.pattern === SEND_AT_PATTERN.source) Object.assign(sendAt, window);
  for (const branch of schema.oneOf ?? []) setSendAt(branch as SchemaObject, window);
}
