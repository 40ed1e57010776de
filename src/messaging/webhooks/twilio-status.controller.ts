import { HttpCode, Logger, Post } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiResponse } from '../common/swagger.js';
import { TWILIO_STATUS_MAP, TWILIO_STATUS_ROUTE } from '../common/delivery-receipts.js';
import { DeliveryReceipts, type DeliveryReceipt } from '../logs/delivery-receipts.service.js';
import type { TwilioWebhookRequest } from './twilio-signature.guard.js';
import { TwilioWebhook, TwilioWebhookController } from './twilio-webhook.decorators.js';
import type { WebhookForm } from './webhook-form.js';
import { TWILIO_STATUS_FORM_SCHEMA } from './twilio-status.openapi.js';

/**
 * POST <prefix>/webhooks/twilio/status: Twilio's status callbacks (the
 * StatusCallback every create carries while `publicBaseUrl` is set). Signed,
 * form-encoded, rate limited per source address (TwilioWebhookController).
 * Answers 204 once the row is updated: one indexed read and one conditional
 * update, nothing else (outbound webhooks are never waited for). A callback
 * for an unknown MessageSid, an unknown status, a duplicate or a late one
 * also gets 204 and writes nothing: Twilio can do nothing better with a refusal.
 */
@TwilioWebhookController(TWILIO_STATUS_ROUTE)
export class TwilioStatusController {
  private readonly logger = new Logger('TwilioWebhooks');

  constructor(private readonly receipts: DeliveryReceipts) {}

  @Post()
  @HttpCode(204)
  @ApiOperation({ summary: "Twilio's message status callbacks (signed with X-Twilio-Signature; no bearer token)" })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ schema: TWILIO_STATUS_FORM_SCHEMA })
  @ApiResponse({ status: 204, description: 'Received (also for an unknown MessageSid, a duplicate or a late callback: nothing is written then)' })
  async status(@TwilioWebhook() webhook: TwilioWebhookRequest): Promise<void> {
    const receipt = receiptOf(webhook.form);
    if (!receipt) return;
    try {
      await this.receipts.apply(receipt);
    } catch (error) {
      // The store is down: Twilio does not resend status callbacks, so answering an error gains nothing.
      this.logger.warn(`Status callback not recorded: ${error instanceof Error ? error.name : 'error'}`);
    }
  }
}

/** The receipt a status callback carries, or undefined (no MessageSid, a status we do not track). */
export function receiptOf(form: WebhookForm): DeliveryReceipt | undefined {
  const messageId = single(form['MessageSid']) ?? single(form['SmsSid']);
  const providerStatus = single(form['MessageStatus']) ?? single(form['SmsStatus']);
  const status = providerStatus === undefined ? undefined : TWILIO_STATUS_MAP[providerStatus];
  if (messageId === undefined || providerStatus === undefined || status === undefined) return undefined;
  const errorCode = single(form['ErrorCode']);
  return { messageId, status, providerStatus, ...(errorCode === undefined || errorCode === '' ? {} : { errorCode }) };
}

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
