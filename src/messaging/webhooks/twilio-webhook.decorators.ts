import { applyDecorators, Controller, createParamDecorator, UseFilters, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiHeader, ApiTags } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MessagingExceptionFilter } from '../errors/messaging-exception.filter.js';
import { FASTIFY_ROUTE_CONFIG_METADATA, MESSAGING_ROUTE_CONFIG } from '../errors/pre-handler-errors.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.js';
import { TWILIO_WEBHOOK_REQUEST, TwilioSignatureGuard, type SignedRequest, type TwilioWebhookRequest } from './twilio-signature.guard.js';
import { WebhookThrottlerGuard } from './webhook-throttler.guard.js';
import { WEBHOOK_ROUTE_CONFIG } from './webhook-route.js';

/** The errors every Twilio webhook route can answer (its body rules, signature and rate limit). */
export const TWILIO_WEBHOOK_ERROR_CODES = [
  ErrorCode.INVALID_SIGNATURE,
  ErrorCode.PAYLOAD_TOO_LARGE,
  ErrorCode.UNSUPPORTED_MEDIA_TYPE,
  ErrorCode.RATE_LIMITED,
  ErrorCode.INTERNAL_ERROR,
] as const;

/**
 * A controller of Twilio webhooks, under the module's route prefix like every
 * other (`@TwilioWebhookController('webhooks/twilio/inbound')`):
 * - no JWT: authenticity comes from `X-Twilio-Signature` (TwilioSignatureGuard,
 *   403 INVALID_SIGNATURE);
 * - its own rate limit per source address (WebhookThrottlerGuard), checked
 *   first so a flood of forgeries costs no HMAC;
 * - form bodies only, 64 KB at most (WebhookBodyParsing: 415, 413);
 * - errors in the module's envelope.
 * The handler reads the checked request with `@TwilioWebhook()`.
 */
export function TwilioWebhookController(path: string): ClassDecorator {
  return applyDecorators(
    Controller(path),
    ApiTags('webhooks'),
    ApiHeader({ name: 'X-Twilio-Signature', required: true, description: "Twilio's signature of the request" }),
    ApiErrorResponses(...TWILIO_WEBHOOK_ERROR_CODES),
    UseFilters(MessagingExceptionFilter),
    UseGuards(WebhookThrottlerGuard, TwilioSignatureGuard),
    markWebhookRoutes,
  );
}

/** The request TwilioSignatureGuard checked: form parameters, signing account, URL. */
export const TwilioWebhook = createParamDecorator((_data: unknown, context: ExecutionContext): TwilioWebhookRequest => {
  const checked = context.switchToHttp().getRequest<SignedRequest>()[TWILIO_WEBHOOK_REQUEST];
  // Unreachable behind the guard; a handler wired without it must fail loudly, not trust an unchecked body.
  if (!checked) throw new Error('@TwilioWebhook() used on a route without TwilioSignatureGuard');
  return checked;
});

/** Fastify route config on each handler: a module route (error envelope) and a webhook route (form bodies). */
function markWebhookRoutes(target: object): void {
  const prototype = (target as { prototype: Record<string, unknown> }).prototype;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = prototype[name];
    if (name === 'constructor' || typeof handler !== 'function') continue;
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(
      FASTIFY_ROUTE_CONFIG_METADATA,
      { ...config, ...MESSAGING_ROUTE_CONFIG, ...WEBHOOK_ROUTE_CONFIG },
      handler,
    );
  }
}
