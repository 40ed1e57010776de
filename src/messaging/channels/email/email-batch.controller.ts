import { HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOperation } from '../../common/swagger.js';
import { ApiErrorResponses } from '../../openapi/api-error-responses.js';
import { ApiBatchAccepted, BATCH_ERROR_CODES } from '../../openapi/batch-api-models.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { BatchThrottlerGuard } from '../../auth/batch-throttler.guard.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import { AcceptsBatch, BatchBody } from '../../body/batch-body.js';
import type { Requester } from '../../common/tenant.js';
import { MessagingScope } from '../../common/scopes.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import { EmailBatchBody, TemplateEmailBatchBody } from '../batch-bodies.js';
import { BatchSender, type BatchAcceptedResponse } from '../batch-sender.js';
import { SendEmailDto } from './dto/send-email.dto.js';
import { SendTemplateEmailDto } from './dto/template-email.dto.js';
import { EmailService } from './email.service.js';

/** POST /messaging/email/batch and /messaging/email/template/batch: up to 1,000 emails, queued. */
@MessagingController('email', { scope: MessagingScope.SEND, throttler: BatchThrottlerGuard })
export class EmailBatchController {
  constructor(
    private readonly email: EmailService,
    private readonly batches: BatchSender,
  ) {}

  @IdempotentSend()
  @Post('batch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue up to 1,000 HTML emails, each the body of POST /messaging/email' })
  @ApiBody({ type: EmailBatchBody, required: true })
  @ApiBatchAccepted()
  @ApiErrorResponses(...BATCH_ERROR_CODES)
  @AcceptsBatch()
  sendBatch(@BatchBody() body: unknown, @RequestedBy() requestedBy: Requester): Promise<BatchAcceptedResponse> {
    return this.batches.send('email', body, SendEmailDto, (request) => this.email.rawMail(request, requestedBy)(), requestedBy);
  }

  @IdempotentSend()
  @Post('template/batch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue up to 1,000 template emails, each the body of POST /messaging/email/template' })
  @ApiBody({ type: TemplateEmailBatchBody, required: true })
  @ApiBatchAccepted()
  @ApiErrorResponses(...BATCH_ERROR_CODES)
  @AcceptsBatch()
  sendTemplateBatch(@BatchBody() body: unknown, @RequestedBy() requestedBy: Requester): Promise<BatchAcceptedResponse> {
    return this.batches.send('email', body, SendTemplateEmailDto, (request) => this.email.templateMail(request, requestedBy)(), requestedBy);
  }
}
