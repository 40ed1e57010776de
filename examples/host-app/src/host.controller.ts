import { MailerService } from '@nestjs-modules/mailer';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { EmailService, LogsService, SmsService, type LogsPage } from '@fluxkit/messaging';
import { ContactDto, NoteDto, OtpDto, WelcomeDto } from './host.dto.js';
import { OutboxService } from './outbox.js';

/**
 * The host's own routes: no authentication, the host's validation and error
 * shape. Some call MessagingModule's services from code, without HTTP.
 */
@Controller()
export class HostController {
  constructor(
    private readonly email: EmailService,
    private readonly sms: SmsService,
    private readonly logs: LogsService,
    private readonly mailer: MailerService,
    private readonly outbox: OutboxService,
  ) {}

  /** Sends the `welcome` template through MessagingModule's EmailService. */
  @Post('welcome/:name')
  @HttpCode(202)
  async welcome(@Param('name') name: string, @Body() body: WelcomeDto) {
    const sent = await this.email.sendTemplate({ to: body.email, template: 'welcome', data: { name, appName: 'Host App' } }, 'host-app');
    return { welcomed: name, messageId: sent.messageId };
  }

  /** A one-time code by SMS through MessagingModule's SmsService. */
  @Post('otp')
  @HttpCode(202)
  async otp(@Body() body: OtpDto) {
    const sent = await this.sms.send({ to: body.phone, body: 'Your code is 482901' }, 'host-app');
    return { messageId: sent.messageId };
  }

  /** The host's own mail, through its own @nestjs-modules/mailer MailerService. */
  @Post('contact')
  @HttpCode(202)
  async contact(@Body() body: ContactDto) {
    await this.mailer.sendMail({ from: 'Host App <host@example.com>', to: body.to, subject: 'Contact form', text: body.message });
    return { queued: true };
  }

  /** The host's own resource: echoes the note (unknown fields pass: Nest's default pipe). */
  @Post('notes')
  createNote(@Body() note: NoteDto) {
    return { note };
  }

  @Get('ping')
  ping() {
    return { pong: true };
  }

  /** What the host's own SMS provider received. */
  @Get('outbox')
  outboxMessages() {
    return { messages: this.outbox.messages };
  }

  /** Email log rows, read through MessagingModule's LogsService. */
  @Get('reports/emails')
  emailReport(): Promise<LogsPage> {
    return this.logs.list({ channel: 'email' });
  }
}
