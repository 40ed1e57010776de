import helmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OPENAPI_UI_PATH } from './openapi.js';

/**
 * Helmet's security headers on every response of the standalone app (errors
 * and unknown routes included). The API answers JSON only, so its Content
 * Security Policy allows nothing at all; the Swagger UI page and its assets
 * get helmet's default policy instead (same-origin scripts, inline styles,
 * data: images), which is what the UI needs.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isDocsPath(request.url)) {
      // Replace the strict API policy with helmet's default one for the UI page and its assets.
      void reply.header('content-security-policy', DOCS_CSP);
    }
    done();
  });
}

/** Helmet's default CSP (the value `helmet()` sends without options). */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "font-src 'self' https: data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' https: 'unsafe-inline'",
].join(';');

function isDocsPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return path === `/${OPENAPI_UI_PATH}` || path.startsWith(`/${OPENAPI_UI_PATH}/`);
}
