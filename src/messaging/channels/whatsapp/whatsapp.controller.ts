import { HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ApiErrorResponses, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { WhatsAppSentModel } from '../../openapi/api-models.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import { Tenant } from '../../consent/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import { SendWhatsAppDto } from './dto/send-whatsapp.dto.js';
import { WhatsAppService, type WhatsAppSentResponse } from './whatsapp.service.js';

/** POST /messaging/whatsapp */
@MessagingController('whatsapp')
export class WhatsAppController {
  constructor(private readonly whatsapp: WhatsAppService) {}

  /** Sends one WhatsApp message, optionally with media; 200 with the provider's message id. */
  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a WhatsApp message' })
  @ApiOkResponse({ type: WhatsAppSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  send(
    @MessagingBody() request: SendWhatsAppDto,
    @RequestedBy() requestedBy: string,
    @PreferAsync() preferAsync: boolean,
    @Tenant() tenant: string,
  ): Promise<WhatsAppSentResponse | MessageAcceptedResponse> {
    return this.whatsapp.send(request, requestedBy, { preferAsync, tenant });
  }
}
