import { Get, HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ErrorCode } from '../../errors/error-codes.js';
import { ApiErrorResponses, COMMON_ERROR_CODES, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { SENT_MESSAGE_LINKS } from '../../openapi/message-links.js';
import { EmailSentModel } from '../../openapi/api-models.js';
import { TemplateEmailSentModel, TemplateListModel, TemplatePreviewModel } from '../../openapi/template-api-models.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import type { Requester } from '../../common/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { TemplateSummary } from '../../templates/template-renderer.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import { SendEmailDto } from './dto/send-email.dto.js';
import { AcceptsAttachments } from '../../body/attachment-body-limit.js';
import { PreviewTemplateDto, SendTemplateEmailDto } from './dto/template-email.dto.js';
import {
  EmailService,
  type EmailSentResponse,
  type TemplateEmailSentResponse,
  type TemplatePreviewResponse,
} from './email.service.js';
import { MessagingScope } from '../../common/scopes.js';

/** /messaging/email: raw HTML sends, template sends, template list and preview. */
@MessagingController('email', { scope: MessagingScope.SEND })
export class EmailController {
  constructor(private readonly email: EmailService) {}

  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an HTML email' })
  @ApiOkResponse({ type: EmailSentModel, links: SENT_MESSAGE_LINKS })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  @AcceptsAttachments()
  send(
    @MessagingBody() request: SendEmailDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<EmailSentResponse | MessageAcceptedResponse> {
    return this.email.send(request, requestedBy, { preferAsync });
  }

  @IdempotentSend()
  @Post('template')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an email rendered from a template' })
  @ApiOkResponse({ type: TemplateEmailSentModel, links: SENT_MESSAGE_LINKS })
  @ApiErrorResponses(...SEND_ERROR_CODES, ErrorCode.TEMPLATE_NOT_FOUND)
  @AsyncCapable()
  @AcceptsAttachments()
  sendTemplate(
    @MessagingBody() request: SendTemplateEmailDto,
    @RequestedBy() requestedBy: Requester,
    @PreferAsync() preferAsync: boolean,
  ): Promise<TemplateEmailSentResponse | (MessageAcceptedResponse & { template: string; locale: string | null })> {
    return this.email.sendTemplate(request, requestedBy, { preferAsync });
  }

  @Post('template/preview')
  @HttpCode(200)
  @ApiOperation({ summary: 'Render a template without sending it' })
  @ApiOkResponse({ type: TemplatePreviewModel })
  @ApiErrorResponses(
    ErrorCode.VALIDATION_ERROR,
    ErrorCode.PAYLOAD_TOO_LARGE,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE,
    ErrorCode.TEMPLATE_NOT_FOUND,
    ...COMMON_ERROR_CODES,
  )
  preview(@MessagingBody() request: PreviewTemplateDto): TemplatePreviewResponse {
    return this.email.preview(request);
  }

  @Get('templates')
  @ApiOperation({ summary: 'List the templates and the data each one uses' })
  @ApiOkResponse({ type: TemplateListModel })
  templates(): { templates: TemplateSummary[] } {
    return this.email.listTemplates();
  }
}
