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
import { SmsBatchBody } from '../batch-bodies.js';
import { BatchSender, type BatchAcceptedResponse } from '../batch-sender.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { SmsService } from './sms.service.js';

/** POST /messaging/sms/batch: up to 1,000 SMS, queued. */
@MessagingController('sms', { scope: MessagingScope.SEND, throttler: BatchThrottlerGuard })
export class SmsBatchController {
  constructor(
    private readonly sms: SmsService,
    private readonly batches: BatchSender,
  ) {}

  @IdempotentSend()
  @Post('batch')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue up to 1,000 SMS, each the body of POST /messaging/sms' })
  @ApiBody({ type: SmsBatchBody, required: true })
  @ApiBatchAccepted()
  @ApiErrorResponses(...BATCH_ERROR_CODES)
  @AcceptsBatch()
  sendBatch(@BatchBody() body: unknown, @RequestedBy() requestedBy: Requester): Promise<BatchAcceptedResponse> {
    return this.batches.send('sms', body, SendSmsDto, (request) => this.sms.outgoing(request), requestedBy);
  }
}
