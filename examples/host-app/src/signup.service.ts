import { Injectable } from '@nestjs/common';
import { EmailService, SmsService } from '@fluxkit/messaging';

/** The README's "Send a message" example, verbatim: compiled here under noUnusedLocals. */
@Injectable()
export class SignupService {
  constructor(private readonly email: EmailService, private readonly sms: SmsService) {}

  async welcome(name: string, address: string) {
    // Rendered from templates/welcome, logged in message_logs (pending -> sent/failed).
    const sent = await this.email.sendTemplate({ to: address, template: 'welcome', data: { name, appName: 'My App' } }, 'signup');
    return sent.messageId;
  }

  sendCode(phone: string) {
    return this.sms.send({ to: phone, body: 'Your code is 482901' }, 'signup');
  }
}
