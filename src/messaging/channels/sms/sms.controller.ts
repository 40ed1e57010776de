import { HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ErrorCode } from '../../errors/error-codes.js';
import { ApiErrorResponses, COMMON_ERROR_CODES, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { SmsSentModel } from '../../openapi/api-models.js';
import { SmsTemplatePreviewModel, SmsTemplateSentModel } from '../../openapi/template-api-models.js';
import { SENT_MESSAGE_LINKS } from '../../openapi/message-links.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import type { Requester } from '../../common/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import type { MessageSentResponse } from '../channel-sender.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { PreviewSmsTemplateDto, SendSmsTemplateDto } from './dto/text-template.dto.js';
import { SmsService, type SmsSentResponse, type SmsTemplateFields, type SmsTemplatePreviewResponse } from './sms.service.js';
import { MessagingScope } from '../../common/scopes.js';

/** /messaging/sms: plain text, text templates and their preview. */
@MessagingController('sms', { scope: MessagingScope.SEND })
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  /** Sends one SMS; 200 with the provider's message id. */
  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an SMS' })
  @ApiOkResponse({ type: SmsSentModel, links: SENT_MESSAGE_LINKS })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  send(
    @MessagingBody() request: SendSmsDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<SmsSentResponse | (MessageAcceptedResponse & { segments: number })> {
    return this.sms.send(request, requestedBy, { preferAsync });
  }

  @IdempotentSend()
  @Post('template')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an SMS rendered from a text template (sms.hbs)' })
  @ApiOkResponse({ type: SmsTemplateSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES, ErrorCode.TEMPLATE_NOT_FOUND)
  @AsyncCapable()
  sendTemplate(
    @MessagingBody() request: SendSmsTemplateDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<(MessageSentResponse<'sms'> | MessageAcceptedResponse) & SmsTemplateFields> {
    return this.sms.sendTemplate(request, requestedBy, { preferAsync });
  }

  @Post('template/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a text template without sending it: the text, its encoding and its segments' })
  @ApiOkResponse({ type: SmsTemplatePreviewModel })
  @ApiErrorResponses(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.TEMPLATE_NOT_FOUND,
    ...COMMON_ERROR_CODES,
  )
  preview(@MessagingBody() request: PreviewSmsTemplateDto): SmsTemplatePreviewResponse {
    return this.sms.preview(request);
  }
}
