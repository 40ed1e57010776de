import type { IncomingHttpHeaders } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { PayloadTooLargeError, UnsupportedMediaTypeError, type MessagingError } from '../errors/messaging.errors.js';

/** Providers post small forms (a Twilio status callback is under 2 KB); anything over this is refused with 413. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';

/** A webhook's form parameters exactly as sent: one string per key, a list when the key repeats. */
export type WebhookForm = Record<string, string | string[]>;

/** Why these headers announce a body a webhook route does not read (not a form, too long), or undefined. */
export function webhookBodyHeadersProblem(headers: IncomingHttpHeaders): MessagingError | undefined {
  const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== FORM_MEDIA_TYPE) {
    return withStatusCode(new UnsupportedMediaTypeError(`Unsupported Content-Type: send ${FORM_MEDIA_TYPE}`));
  }
  const encoding = headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    return withStatusCode(new UnsupportedMediaTypeError('Content-Encoding is not supported: send the form uncompressed'));
  }
  const length = Number(headers['content-length']);
  if (Number.isFinite(length) && length > MAX_WEBHOOK_BODY_BYTES) return withStatusCode(new PayloadTooLargeError(MAX_WEBHOOK_BODY_BYTES));
  return undefined;
}

/**
 * Passes the body through, failing with 413 once more than `limit` bytes
 * went by: a chunked body declares no length, and in a host app the form
 * parser may be the host's, with a larger limit.
 */
export function limitedBody(limit = MAX_WEBHOOK_BODY_BYTES): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) callback(withStatusCode(new PayloadTooLargeError(limit)));
      else callback(null, chunk);
    },
  });
}

/** The parameters of a form body, decoded as browsers and Twilio encode them. */
export function parseWebhookForm(text: string): WebhookForm {
  const form: WebhookForm = Object.create(null) as WebhookForm;
  for (const [key, value] of new URLSearchParams(text)) {
    const earlier = form[key];
    form[key] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return form;
}

/**
 * The form the route's parser produced: ours (parseWebhookForm), or in a
 * host app the host's form parser (an object of strings or string lists),
 * or a raw string. Anything else (a JSON object with numbers) is not a form.
 */
export function asWebhookForm(body: unknown): WebhookForm | undefined {
  if (typeof body === 'string') return parseWebhookForm(body);
  if (Buffer.isBuffer(body)) return parseWebhookForm(body.toString('utf8'));
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const form: WebhookForm = Object.create(null) as WebhookForm;
  for (const [key, value] of Object.entries(body)) {
    if (typeof value === 'string') form[key] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) form[key] = value;
    else return undefined;
  }
  return form;
}

/** Fastify answers a parser's or a stream's error with its `statusCode`, also without the module's filter. */
function withStatusCode<E extends MessagingError>(error: E): E & { statusCode: number } {
  return Object.assign(error, { statusCode: error.status });
}
