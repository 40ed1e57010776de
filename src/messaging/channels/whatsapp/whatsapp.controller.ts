import { HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ApiErrorResponses, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { ErrorCode } from '../../errors/error-codes.js';
import { WhatsAppSentModel } from '../../openapi/api-models.js';
import { WhatsAppTemplateSentModel } from '../../openapi/template-api-models.js';
import { SENT_MESSAGE_LINKS } from '../../openapi/message-links.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import type { Requester } from '../../common/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import { SendWhatsAppDto } from './dto/send-whatsapp.dto.js';
import { SendWhatsAppTemplateDto } from './dto/whatsapp-template.dto.js';
import { WhatsAppService, type WhatsAppSentResponse, type WhatsAppTemplateFields } from './whatsapp.service.js';
import { MessagingScope } from '../../common/scopes.js';

/** /messaging/whatsapp: free text or an approved template, and text templates. */
@MessagingController('whatsapp', { scope: MessagingScope.SEND })
export class WhatsAppController {
  constructor(private readonly whatsapp: WhatsAppService) {}

  /** Sends one WhatsApp message (text, optionally with media, or an approved template); 200 with the provider's message id. */
  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a WhatsApp message' })
  @ApiOkResponse({ type: WhatsAppSentModel, links: SENT_MESSAGE_LINKS })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  send(
    @MessagingBody() request: SendWhatsAppDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<WhatsAppSentResponse | MessageAcceptedResponse> {
    return this.whatsapp.send(request, requestedBy, { preferAsync });
  }

  @IdempotentSend()
  @Post('template')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send a WhatsApp message rendered from a text template (whatsapp.hbs, else sms.hbs)' })
  @ApiOkResponse({ type: WhatsAppTemplateSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES, ErrorCode.TEMPLATE_NOT_FOUND)
  @AsyncCapable()
  sendTemplate(
    @MessagingBody() request: SendWhatsAppTemplateDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<(WhatsAppSentResponse | MessageAcceptedResponse) & WhatsAppTemplateFields> {
    return this.whatsapp.sendTemplate(request, requestedBy, { preferAsync });
  }
}
