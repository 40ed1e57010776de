import { HttpCode, Post } from '@nestjs/common';
import { MessagingBody } from '../../errors/messaging-input.decorator.js';
import { ApiOkResponse, ApiOperation } from '../../common/swagger.js';
import { ApiErrorResponses, SEND_ERROR_CODES } from '../../openapi/api-error-responses.js';
import { SmsSentModel } from '../../openapi/api-models.js';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import { Tenant } from '../../consent/tenant.js';
import { IdempotentSend } from '../../idempotency/idempotent-send.decorator.js';
import type { MessageAcceptedResponse } from '../../queue/async-delivery.js';
import { AsyncCapable, PreferAsync } from '../../queue/http/async-send.decorators.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { SmsService, type SmsSentResponse } from './sms.service.js';

/** POST /messaging/sms */
@MessagingController('sms')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  /** Sends one SMS; 200 with the provider's message id. */
  @IdempotentSend()
  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Send an SMS' })
  @ApiOkResponse({ type: SmsSentModel })
  @ApiErrorResponses(...SEND_ERROR_CODES)
  @AsyncCapable()
  send(
    @MessagingBody() request: SendSmsDto,
    @RequestedBy() requestedBy: string,
    @PreferAsync() preferAsync: boolean,
    @Tenant() tenant: string,
  ): Promise<SmsSentResponse | MessageAcceptedResponse> {
    return this.sms.send(request, requestedBy, { preferAsync, tenant });
  }
}
