import { Body, Get, HttpCode, Post } from '@nestjs/common';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import type { TemplateSummary } from '../../templates/template-renderer.js';
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

  @Post()
  @HttpCode(200)
  send(@Body() request: SendEmailDto, @RequestedBy() requestedBy: string): Promise<EmailSentResponse> {
    return this.email.send(request, requestedBy);
  }

  @Post('template')
  @HttpCode(200)
  sendTemplate(@Body() request: SendTemplateEmailDto, @RequestedBy() requestedBy: string): Promise<TemplateEmailSentResponse> {
    return this.email.sendTemplate(request, requestedBy);
  }

  @Post('template/preview')
  @HttpCode(200)
  preview(@Body() request: PreviewTemplateDto): TemplatePreviewResponse {
    return this.email.preview(request);
  }

  @Get('templates')
  templates(): { templates: TemplateSummary[] } {
    return this.email.listTemplates();
  }
}
