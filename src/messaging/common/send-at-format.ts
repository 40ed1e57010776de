// The wire format of `sendAt`, shared by its validation (queue/http/send-at.ts) and the OpenAPI
// document's scheduling window (openapi/send-at-window.ts).

/**
 * A date-time with a time zone (`Z` or an offset), seconds and fraction
 * optional: `2025-06-01T09:00Z`, `2025-06-01T09:00:00.000+02:00`. A date
 * alone, or a time without a zone, is refused: it would silently mean the
 * server's midnight or local time.
 */
export const SEND_AT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
