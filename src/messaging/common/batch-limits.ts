// The limits of the batch routes (POST /messaging/<channel>/batch), shared by the request check
// (channels/), the body parser (body/), the throttle (auth/) and the OpenAPI document.

/** Messages one batch may hold. */
export const MAX_BATCH_MESSAGES = 1_000;

/**
 * Keys and list items of a batch body, all objects and lists together: 100 per message on average.
 * Every message is still held to the single route's own limit (input-shape.ts MAX_INPUT_ENTRIES);
 * this bounds the whole, so a hostile 16 MiB body costs the parser a scan, not a transformation.
 */
export const MAX_BATCH_INPUT_ENTRIES = MAX_BATCH_MESSAGES * 100;

/** Default largest body of a batch route: 1,000 messages of about 16 KiB each (BATCH_BODY_LIMIT_BYTES). */
export const DEFAULT_BATCH_BODY_LIMIT_BYTES = 16 * 1_048_576;

/** Fastify route config that marks a batch route (the parser and the body guard read it). */
export const BATCH_ROUTE_CONFIG = { fluxkitBatchBody: true } as const;

/** True for the route config of a batch route. */
export function isBatchRoute(config: unknown): boolean {
  return typeof config === 'object' && config !== null && (config as Partial<typeof BATCH_ROUTE_CONFIG>).fluxkitBatchBody === true;
}

/** The messages of a batch body as the client sent them, or undefined when it is not `{ messages: [...] }`. */
export function batchMessagesOf(body: unknown): unknown[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const messages = (body as { messages?: unknown }).messages;
  return Array.isArray(messages) ? messages : undefined;
}
