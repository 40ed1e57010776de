import type { ChannelName } from '../common/channel-names.js';
import { MESSAGE_CATEGORIES } from '../common/consent-fields.js';
import type { MessageSentResponse } from '../common/message-sent-response.js';
import { ATTEMPT_OUTCOMES, CHANNELS, MESSAGE_STATUSES } from '../common/message-log-fields.js';
import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '../common/swagger.js';

/**
 * Shapes of the successful answers, for the OpenAPI document: the services
 * return plain objects typed by the same interfaces these classes implement,
 * so the document describes the JSON clients get (and the contract fuzzing checks).
 */

/** `to` echoes the request: one recipient or the list the client sent. */
const RECIPIENTS_ECHO: ApiPropertyOptions = {
  oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
};

export class EmailSentModel implements MessageSentResponse<'email', string | string[]> {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$', description: 'Id of the message log row: GET /messaging/logs/{id} (delivery receipts show there)' })
  id!: string;

  @ApiProperty({ description: 'The mail\'s Message-ID header, angle brackets included', example: '<1b0e2f@example.com>' })
  messageId!: string;

  @ApiProperty({ enum: ['sent'] })
  status!: 'sent';

  @ApiProperty({ enum: ['email'] })
  channel!: 'email';

  @ApiProperty({ ...RECIPIENTS_ECHO, description: 'Echo of the request\'s `to`' })
  to!: string | string[];

  @ApiPropertyOptional({ type: [String], description: 'Recipients left out (to, cc, bcc): on the suppression list; absent when none was' })
  suppressed?: string[];
}

export class SmsSentModel implements MessageSentResponse<'sms'> {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$', description: 'Id of the message log row: GET /messaging/logs/{id} (delivery receipts show there)' })
  id!: string;

  @ApiProperty({ description: 'Twilio Message SID', example: 'SM0f3c6a2be1a94a0c9d8e7f6a5b4c3d2e' })
  messageId!: string;

  @ApiProperty({ enum: ['sent'] })
  status!: 'sent';

  @ApiProperty({ enum: ['sms'] })
  channel!: 'sms';

  @ApiProperty({ example: '+14155550100' })
  to!: string;

  @ApiProperty({ type: 'integer', minimum: 1, example: 1, description: 'The parts the text is billed as (GSM 03.38)' })
  segments!: number;
}

export class WhatsAppSentModel implements MessageSentResponse<'whatsapp'> {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$', description: 'Id of the message log row: GET /messaging/logs/{id} (delivery receipts show there)' })
  id!: string;

  @ApiProperty({ description: 'Twilio Message SID', example: 'SM0f3c6a2be1a94a0c9d8e7f6a5b4c3d2e' })
  messageId!: string;

  @ApiProperty({ enum: ['sent'] })
  status!: 'sent';

  @ApiProperty({ enum: ['whatsapp'] })
  channel!: 'whatsapp';

  @ApiProperty({ example: '+14155550100' })
  to!: string;
}

export class LogErrorModel {
  @ApiProperty({ example: 'SEND_FAILED' })
  code!: string;

  @ApiProperty()
  message!: string;

  @ApiPropertyOptional({ description: 'The provider\'s own code (SMTP reply, Twilio error code)' })
  providerCode?: string;
}

export class LogAttemptModel {
  @ApiProperty({ example: 'smtp-2', description: 'The provider tried' })
  provider!: string;

  @ApiProperty({ format: 'date-time', description: 'When the provider was called' })
  at!: string;

  @ApiProperty({ enum: ATTEMPT_OUTCOMES })
  outcome!: string;

  @ApiPropertyOptional({ type: LogErrorModel, description: 'When `outcome` is `failed`' })
  error?: LogErrorModel;
}

/** One delivery receipt (common/delivery-receipts.ts): GET /messaging/logs/{id} only. */
export class LogEventModel {
  @ApiProperty({ enum: ['sent', 'delivered', 'read', 'undelivered', 'failed', 'cancelled'], description: 'The status it moved the row to' })
  status!: string;

  @ApiProperty({ example: 'delivered', description: "The provider's own status" })
  providerStatus!: string;

  @ApiProperty({ format: 'date-time', description: 'When it was received' })
  at!: string;

  @ApiPropertyOptional({ example: '30003', description: "The provider's error code, on `undelivered` and `failed`" })
  errorCode?: string;
}

export class LogAttachmentModel {
  @ApiProperty({ example: 'invoice-42.pdf', description: 'The file name as sent (cleaned)' })
  filename!: string;

  @ApiPropertyOptional({ example: 'application/pdf', description: 'When the request gave one' })
  contentType?: string;

  @ApiProperty({ minimum: 0, description: 'Decoded bytes' })
  size!: number;
}

export class MessageLogModel {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$' })
  _id!: string;

  @ApiProperty({ enum: CHANNELS })
  channel!: string;

  @ApiProperty({ ...RECIPIENTS_ECHO })
  to!: string | string[];

  @ApiPropertyOptional()
  subject?: string;

  @ApiPropertyOptional()
  template?: string;

  @ApiPropertyOptional({ example: 'fr', description: 'The template variant that rendered; absent for the default' })
  locale?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'SMS: the parts the text is billed as (GSM 03.38)' })
  segments?: number;

  @ApiPropertyOptional({ pattern: '^HX[0-9a-f]{32}$', description: 'WhatsApp approved template: its Twilio Content SID' })
  contentSid?: string;

  @ApiPropertyOptional({ type: [String], description: 'The keys of `contentVariables`; their values are not stored' })
  contentVariableNames?: string[];
  @ApiPropertyOptional({ type: [LogAttachmentModel], description: 'Email attachments: name, type and size, never the content' })
  attachments?: LogAttachmentModel[];

  @ApiProperty({ enum: MESSAGE_STATUSES })
  status!: string;

  @ApiPropertyOptional({ description: 'The provider\'s id, once it accepted the message' })
  messageId?: string;

  @ApiProperty({ example: 'smtp', description: 'The provider that delivered, or the last one tried when none did' })
  provider!: string;

  @ApiPropertyOptional({ type: LogErrorModel })
  error?: LogErrorModel;

  @ApiPropertyOptional({
    type: [LogAttemptModel],
    description: 'Every provider tried, in order (several with failover); absent until the message is sent or failed',
  })
  attempts?: LogAttemptModel[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Scheduled messages: when it is to go out' })
  sendAt?: string;

  @ApiPropertyOptional({
    type: [LogEventModel],
    description: 'Delivery receipts, oldest first, the newest 20 kept (GET /messaging/logs/{id} only; absent until one arrived)',
  })
  events?: LogEventModel[];
  @ApiPropertyOptional({ enum: [...MESSAGE_CATEGORIES] })
  category?: string;

  @ApiPropertyOptional({ enum: ['inbound'], description: 'Messages recipients sent us; absent on ours' })
  direction?: string;

  @ApiPropertyOptional({ description: 'Inbound rows: the number that wrote to us' })
  from?: string;

  @ApiPropertyOptional({ type: [String], description: 'Email recipients left out: on the suppression list' })
  suppressed?: string[];

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;
}

export class LogsPageModel {
  @ApiProperty({ type: [MessageLogModel] })
  logs!: MessageLogModel[];

  @ApiProperty({ description: 'Rows matching the filters, not just this page', minimum: 0 })
  total!: number;

  @ApiProperty({ minimum: 1, maximum: 100 })
  limit!: number;

  @ApiProperty({ minimum: 0 })
  offset!: number;

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as `cursor` for the next page; null on the last page' })
  nextCursor!: string | null;
}

export class FailoverProviderHealthModel {
  @ApiProperty({ example: 'smtp-2' })
  provider!: string;

  @ApiProperty({ enum: ['connected', 'disconnected'] })
  status!: string;
}

export class ProviderHealthModel {
  @ApiProperty({ example: 'smtp', description: 'The primary provider of the channel' })
  provider!: string;

  @ApiProperty({ enum: ['connected', 'disconnected', 'not_configured'], description: 'Whether that provider answers' })
  status!: string;

  @ApiPropertyOptional({
    type: [FailoverProviderHealthModel],
    description: 'The providers tried after the primary, in order; only when the channel has some',
  })
  failover?: FailoverProviderHealthModel[];

  @ApiPropertyOptional({
    enum: ['connected', 'disconnected'],
    description: 'With `failover`: `connected` while at least one of the channel\'s providers answers',
  })
  channelStatus?: string;
}

/** One property per channel: a channel added to the registry without its health here does not compile. */
export class ProvidersHealthModel implements Record<ChannelName, ProviderHealthModel> {
  @ApiProperty({ type: ProviderHealthModel })
  email!: ProviderHealthModel;

  @ApiProperty({ type: ProviderHealthModel })
  sms!: ProviderHealthModel;

  @ApiProperty({ type: ProviderHealthModel })
  whatsapp!: ProviderHealthModel;
}

export class DatabaseHealthModel {
  @ApiProperty({ enum: ['connected', 'disconnected'] })
  status!: string;
}

export class RedisHealthModel {
  @ApiProperty({ enum: ['connected', 'disconnected'] })
  status!: string;
}

export class WebhookFailureModel {
  @ApiProperty({ type: String, format: 'date-time', description: 'When the attempt failed' })
  at!: string;

  @ApiProperty({ description: 'The receiver, without credentials or query' })
  url!: string;

  @ApiProperty({ description: '`HTTP 500`, `ECONNREFUSED`, `no answer within 10000 ms`, ...' })
  reason!: string;
}

export class WebhooksHealthModel {
  @ApiProperty({ type: Number, minimum: 1, description: 'Configured receivers' })
  urls!: number;

  @ApiPropertyOptional({ type: WebhookFailureModel, description: "This process's last failed attempt (retried or given up); absent until one fails" })
  lastFailure?: WebhookFailureModel;
}

export class HealthReportModel {
  @ApiProperty({ enum: ['healthy', 'degraded', 'unhealthy'] })
  status!: string;

  @ApiProperty({ type: ProvidersHealthModel })
  providers!: ProvidersHealthModel;

  @ApiProperty({ type: DatabaseHealthModel })
  database!: DatabaseHealthModel;

  @ApiPropertyOptional({
    type: RedisHealthModel,
    description: 'Only when Redis is configured; `disconnected` makes the report `degraded` (sends still work)',
  })
  redis?: RedisHealthModel;

  @ApiPropertyOptional({ type: DatabaseHealthModel, description: 'The delivery queue (Redis), when configured' })
  queue?: DatabaseHealthModel;

  @ApiPropertyOptional({ type: WebhooksHealthModel, description: 'Only when webhooks are configured; never changes `status`' })
  webhooks?: WebhooksHealthModel;
  @ApiProperty({
    enum: ['on', 'off'],
    description: '`on`: PUBLIC_BASE_URL is set, Twilio messages ask for status callbacks; `off`: SMS and WhatsApp rows stay `sent`',
  })
  receipts!: string;
}
