import { Body, HttpCode, Post } from '@nestjs/common';
import { MessagingController } from '../../auth/messaging-controller.decorator.js';
import { RequestedBy } from '../../auth/requested-by.decorator.js';
import { SendSmsDto } from './dto/send-sms.dto.js';
import { SmsService, type SmsSentResponse } from './sms.service.js';

/** POST /messaging/sms */
@MessagingController('sms')
export class SmsController {
  constructor(private readonly sms: SmsService) {}

  /** Sends one SMS; 200 with the provider's message id. */
  @Post()
  @HttpCode(200)
  send(@Body() request: SendSmsDto, @RequestedBy() requestedBy: string): Promise<SmsSentResponse> {
    return this.sms.send(request, requestedBy);
  }
}
