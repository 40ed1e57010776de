import { HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiOperation, ApiResponse } from '../common/swagger.js';
import { ErrorCode } from '../errors/error-codes.js';
import { ApiErrorResponses, COMMON_ERROR_CODES } from '../openapi/api-error-responses.js';
import { TwilioWebhook, TwilioWebhookController, TWILIO_WEBHOOK_ERROR_CODES } from '../webhooks/twilio-webhook.decorators.js';
import type { TwilioWebhookRequest } from '../webhooks/twilio-signature.guard.js';
import { InboundMessages } from './inbound-messages.js';

/** Empty TwiML: no reply of ours, so Twilio's own opt-out confirmations (Advanced Opt-Out) stay in charge. */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** POST /messaging/webhooks/twilio/inbound: Twilio's "A message comes in" webhook. */
@TwilioWebhookController('webhooks/twilio/inbound')
export class InboundController {
  constructor(private readonly inbound: InboundMessages) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Inbound SMS and WhatsApp (Twilio webhook): opt-out keywords and replies' })
  @ApiResponse({ status: 200, description: 'Empty TwiML', content: { 'text/xml': { schema: { type: 'string', example: EMPTY_TWIML } } } })
  @ApiErrorResponses(...TWILIO_WEBHOOK_ERROR_CODES, ErrorCode.SERVICE_UNAVAILABLE, ...COMMON_ERROR_CODES)
  async receive(@TwilioWebhook() webhook: TwilioWebhookRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.inbound.receive(webhook.form);
    // Set on success only: an error answer stays the JSON envelope.
    void reply.header('content-type', 'text/xml; charset=utf-8');
    return EMPTY_TWIML;
  }
}
