import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import fastifyHelmet from '@fastify/helmet';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import helmet from 'helmet';
import { isUiPath } from './openapi.js';

/**
 * The API answers JSON only, so its Content Security Policy allows nothing
 * at all; the Swagger UI page and its assets get helmet's default policy
 * instead (same-origin scripts, inline styles, data: images), which is what
 * the UI needs. Not annotated: helmet's CommonJS and ES module typings
 * (@fastify/helmet uses the former) are distinct types, and this literal
 * fits both.
 */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
};

/**
 * Helmet's security headers on every response of the standalone app (errors
 * and unknown routes included). Answers written before routing carry
 * `securityHeaders()`, the same set (see pre-routing-errors.ts).
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(fastifyHelmet, HELMET_OPTIONS);
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    if (isUiPath(request.url)) {
      // Replace the strict API policy with helmet's default one for the UI page and its assets.
      void reply.header('content-security-policy', DOCS_CSP);
    }
    done();
  });
}

let computed: Readonly<Record<string, string>> | undefined;

/**
 * The headers helmet sets on an API answer, for answers that no hook sees:
 * Node's own refusals (a 431, broken chunking) and the router's (a 414).
 * Computed once, by running helmet with the app's options on a response
 * that is never sent, so the two sets cannot drift apart.
 */
export function securityHeaders(): Readonly<Record<string, string>> {
  if (!computed) {
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    helmet(HELMET_OPTIONS)(request, response, () => undefined);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.getHeaders())) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    computed = headers;
  }
  return computed;
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
