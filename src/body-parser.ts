import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { MAX_INPUT_DEPTH, MAX_INPUT_ENTRIES } from './messaging/errors/input-shape.js';
import { createJsonBodyParser } from './messaging/body/json-body.js';
import { acceptsAttachments, attachmentBodyLimit } from './messaging/body/attachment-body-limit.js';
import { DEFAULT_BATCH_BODY_LIMIT_BYTES, isBatchRoute, MAX_BATCH_INPUT_ENTRIES } from './messaging/common/batch-limits.js';

/**
 * The standalone app reads JSON bodies only (create the app with
 * `bodyParser: false`, so Nest adds no JSON and form parsers of its own).
 * Fastify's built-in parsers go too: the text/plain one would hand a string
 * to the validation pipe, which then reported field errors instead of "send
 * application/json". Any other type answers 415 UNSUPPORTED_MEDIA_TYPE.
 *
 * The parser also applies the request limits of input-shape.ts to the text,
 * so a body beyond them is refused before JSON.parse builds it.
 *
 * The two email routes that take attachments get `bodyLimit` plus room for
 * 10 MiB of base64 (attachment-body-limit.ts); every other route stays at
 * `bodyLimit`. The batch routes (common/batch-limits.ts) take `batchBodyLimit`
 * (BATCH_BODY_LIMIT_BYTES) and up to MAX_BATCH_INPUT_ENTRIES keys and list
 * items. Call before the routes are registered: onRoute sees only
 * routes added after it.
 */
export function registerJsonBodyParser(app: NestFastifyApplication, bodyLimit: number, batchBodyLimit = DEFAULT_BATCH_BODY_LIMIT_BYTES): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit },
    createJsonBodyParser(
      { maxDepth: MAX_INPUT_DEPTH, maxEntries: MAX_INPUT_ENTRIES },
      { maxDepth: MAX_INPUT_DEPTH, maxEntries: MAX_BATCH_INPUT_ENTRIES },
    ),
  );
  fastify.addHook('onRoute', (route) => {
    if (acceptsAttachments(route.config)) route.bodyLimit = attachmentBodyLimit(bodyLimit);
    if (isBatchRoute(route.config)) route.bodyLimit = batchBodyLimit;
  });
}
