import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { UnsupportedMediaTypeError } from '../errors/messaging.errors.js';
import { FORM_MEDIA_TYPE, limitedBody, parseWebhookForm, webhookBodyHeadersProblem } from './webhook-form.js';
import { isWebhookRoute } from './webhook-route.js';

/**
 * Form bodies for the webhook routes alone (providers post
 * `application/x-www-form-urlencoded`); the JSON API stays JSON-only.
 *
 * - A root `preParsing` hook, inert on every other route, refuses on a
 *   webhook route any body that is not a form (415) or is over 64 KB (413,
 *   from Content-Length at once, else while it streams).
 * - When the app has no form parser (the standalone app removes them all),
 *   it adds one that parses webhook routes only and answers 415 everywhere
 *   else, as before. A host app's own form parser is kept: its result is
 *   read by asWebhookForm.
 *
 * Errors raised here reach the module's envelope through
 * PreHandlerErrorEnvelope (the webhook routes are module routes too).
 */
@Injectable()
export class WebhookBodyParsing implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<Partial<FastifyInstance>>();
    if (typeof instance?.addHook !== 'function') return; // not Fastify, or no HTTP at all
    const fastify = instance as FastifyInstance;
    fastify.addHook('preParsing', (request, _reply, payload, done) => {
      if (!isWebhookRoute(request) || !hasBody(request)) return done(null, payload);
      const problem = webhookBodyHeadersProblem(request.headers);
      if (problem) return done(problem);
      done(null, payload.pipe(limitedBody()));
    });
    if (!fastify.hasContentTypeParser(FORM_MEDIA_TYPE)) {
      fastify.addContentTypeParser(FORM_MEDIA_TYPE, (request: FastifyRequest, payload: Readable, done) => {
        if (!isWebhookRoute(request)) return done(Object.assign(new UnsupportedMediaTypeError(), { statusCode: 415 }));
        readText(payload).then((text) => done(null, parseWebhookForm(text)), (error: Error) => done(error));
      });
    }
  }
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length.trim() !== '0');
}

/** The whole (already size-limited) body as UTF-8 text. */
async function readText(payload: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of payload) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
