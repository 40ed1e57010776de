import { Get, HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ErrorCode } from '../../errors/error-codes.js';
import { ApiErrorResponses, COMMON_ERROR_CODES, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { EmailSentModel, TemplateEmailSentModel, TemplateListModel, TemplatePreviewModel } from '../../openapi/api-models.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import { Tenant } from '../../consent/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { TemplateSummary } from '../../templates/template-renderer.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import { SendEmailDto } from './dto/send-email.dto.js';
import { PreviewTemplateDto, SendTemplateEmailDto } from './dto/template-email.dto.js';
import {
  EmailService,
  type EmailSentResponse,
  type TemplateEmailSentResponse,
  type TemplatePreviewResponse,
} from './email.service.js';

/** /messaging/email: raw HTML sends, template sends, template list and preview. */
@MessagingController('email')
export class EmailController {
  constructor(private readonly email: EmailService) {}

  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an HTML email' })
  @ApiOkResponse({ type: EmailSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  send(
    @MessagingBody() request: SendEmailDto,
    @RequestedBy() requestedBy: string,
    @PreferAsync() preferAsync: boolean,
    @Tenant() tenant: string,
  ): Promise<EmailSentResponse | MessageAcceptedResponse> {
    return this.email.send(request, requestedBy, { preferAsync, tenant });
  }

  @IdempotentSend()
  @Post('template')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an email rendered from a template' })
  @ApiOkResponse({ type: TemplateEmailSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES, ErrorCode.TEMPLATE_NOT_FOUND)
  @AsyncCapable()
  sendTemplate(
    @MessagingBody() request: SendTemplateEmailDto,
    @RequestedBy() requestedBy: string,
    @PreferAsync() preferAsync: boolean,
    @Tenant() tenant: string,
  ): Promise<TemplateEmailSentResponse | (MessageAcceptedResponse & { template: string })> {
    return this.email.sendTemplate(request, requestedBy, { preferAsync, tenant });
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
