import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { findPackageRoot } from './messaging/templates/package-root.js';

/** Where the standalone app serves the interactive docs and the raw document. */
export const OPENAPI_UI_PATH = 'messaging/docs';
export const OPENAPI_JSON_PATH = 'messaging/docs-json';

/** Name of the bearer security scheme; `@ApiBearerAuth()` refers to it by this default name. */
const BEARER_SCHEME = 'bearer';

/**
 * Builds the OpenAPI 3 document from the controllers and DTOs of the running
 * app: every route, its body constraints, its answers (the error envelope of
 * each error status included) and the bearer scheme.
 */
export function buildOpenApiDocument(app: NestFastifyApplication, version = packageVersion()): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('@fluxkit/messaging')
    .setDescription(
      'Send email, SMS and WhatsApp through real providers; every attempt is logged. ' +
        'Errors are `{"error":{"code","message","details"?}}`.',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** Serves the UI at /messaging/docs and the JSON at /messaging/docs-json. */
export function serveOpenApi(app: NestFastifyApplication): void {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(OPENAPI_UI_PATH, app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH,
    raw: ['json'],
    customSiteTitle: '@fluxkit/messaging API',
  });
}

/** The package's version, read from its package.json (whatever the build folder's depth). */
function packageVersion(): string {
  const root = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
