import { Controller, Get, HttpCode, Param, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { MessagingExceptionFilter } from '../errors/messaging-exception.filter.js';
import { ValidationError } from '../errors/messaging.errors.js';
import { FASTIFY_ROUTE_CONFIG_METADATA, MESSAGING_ROUTE_CONFIG } from '../errors/pre-handler-errors.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from '../openapi/api-error-responses.js';
import { asWebhookForm } from '../webhooks/webhook-form.js';
import { WEBHOOK_ROUTE_CONFIG } from '../webhooks/webhook-route.js';
import { WebhookThrottlerGuard } from '../webhooks/webhook-throttler.guard.js';
import { SuppressionStore } from './suppression.store.js';
import { UnsubscribeLinks } from './unsubscribe-links.js';
import { confirmationPage, UNSUBSCRIBE_PAGE_HEADERS, unsubscribedPage } from './unsubscribe-page.js';
import { MAX_UNSUBSCRIBE_TOKEN_LENGTH, verifyUnsubscribeToken, type UnsubscribeClaim } from './unsubscribe-token.js';

const TOKEN_PARAM = { name: 'token', schema: { type: 'string', minLength: 1, maxLength: MAX_UNSUBSCRIBE_TOKEN_LENGTH, pattern: '^[A-Za-z0-9_.-]+$' } } as const;
const HTML = { 'text/html': { schema: { type: 'string' } } };

/**
 * /messaging/unsubscribe/:token, RFC 8058 one-click unsubscribe. No JWT: the signed token is the
 * authority. A rate limit per source address; POST takes a form body only (the webhook body rules).
 */
@Controller('unsubscribe')
@ApiTags('unsubscribe')
@UseFilters(MessagingExceptionFilter)
@UseGuards(WebhookThrottlerGuard)
export class UnsubscribeController {
  constructor(
    private readonly links: UnsubscribeLinks,
    private readonly store: SuppressionStore,
  ) {}

  @Get(':token')
  @FormRoute()
  @ApiOperation({ summary: 'Unsubscribe confirmation page (never unsubscribes by itself)' })
  @ApiParam(TOKEN_PARAM)
  @ApiResponse({ status: 200, description: 'A page with a button that POSTs', content: HTML })
  @ApiErrorResponses(ErrorCode.VALIDATION_ERROR, ...COMMON_ERROR_CODES)
  confirm(@Param('token') token: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    const page = confirmationPage(this.claimOf(token).address);
    void reply.headers(UNSUBSCRIBE_PAGE_HEADERS);
    return page;
  }

  @Post(':token')
  @HttpCode(200)
  @FormRoute()
  @ApiOperation({ summary: 'One-click unsubscribe (RFC 8058): body List-Unsubscribe=One-Click' })
  @ApiParam(TOKEN_PARAM)
  @ApiResponse({ status: 200, description: 'Unsubscribed from marketing email', content: HTML })
  @ApiErrorResponses(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.SERVICE_UNAVAILABLE,
    ...COMMON_ERROR_CODES,
  )
  async unsubscribe(
    @Param('token') token: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const claim = this.claimOf(token);
    // RFC 8058: the POST carries List-Unsubscribe=One-Click; anything else is not a one-click request.
    const form = asWebhookForm(request.body);
    if (form?.['List-Unsubscribe'] !== 'One-Click') {
      throw ValidationError.listing('Invalid request', [{ field: 'List-Unsubscribe', errors: ['the form must carry List-Unsubscribe=One-Click'] }]);
    }
    await this.store.add({ tenant: claim.tenant, channel: 'email', address: claim.address, scope: 'marketing', reason: 'unsubscribed', source: 'unsubscribe_link' });
    void reply.headers(UNSUBSCRIBE_PAGE_HEADERS);
    return unsubscribedPage(claim.address);
  }

  private claimOf(token: string): UnsubscribeClaim {
    const key = this.links.key;
    const claim = key === undefined ? undefined : verifyUnsubscribeToken(key, token);
    if (!claim) throw ValidationError.listing('Invalid request', [{ field: 'token', errors: ['token is not a valid unsubscribe link'] }]);
    return claim;
  }
}

/**
 * Fastify route config: a module route (envelope) taking form bodies (webhook rules). The page headers
 * are set by the handlers on success only: an error answer stays the JSON envelope.
 */
function FormRoute(): MethodDecorator {
  return (_target, _key, descriptor) => {
    const handler = descriptor.value as object;
    const config = Reflect.getMetadata(FASTIFY_ROUTE_CONFIG_METADATA, handler) as object | undefined;
    Reflect.defineMetadata(FASTIFY_ROUTE_CONFIG_METADATA, { ...config, ...MESSAGING_ROUTE_CONFIG, ...WEBHOOK_ROUTE_CONFIG }, handler);
  };
}
