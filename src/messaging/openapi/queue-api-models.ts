import { CHANNELS } from '../common/message-log-fields.js';
import { ApiProperty, ApiPropertyOptional } from '../common/swagger.js';

/** `to` echoes the request: one recipient or the list the client sent. */
const RECIPIENTS_ECHO = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };

/** 202 of the send routes: accepted for asynchronous delivery. */
export class MessageAcceptedModel {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$', description: 'Id of the message log row (the same as `messageId` here)' })
  id!: string;

  @ApiProperty({ pattern: '^[0-9a-f]{24}$', description: 'Id of the message log row: GET /messaging/logs/{id}, DELETE /messaging/messages/{id}' })
  messageId!: string;

  @ApiProperty({ enum: ['queued', 'scheduled'] })
  status!: 'queued' | 'scheduled';

  @ApiProperty({ enum: CHANNELS })
  channel!: string;

  @ApiProperty({ ...RECIPIENTS_ECHO, description: "Echo of the request's `to`" })
  to!: string | string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Scheduled messages: when it is to go out (UTC)' })
  sendAt?: string;

  @ApiPropertyOptional({ example: 'welcome', description: 'Template sends: the template' })
  template?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, example: 'fr', description: 'Template sends: the locale variant that rendered, null for the default' })
  locale?: string | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, description: 'SMS: the parts the text is billed as (GSM 03.38)' })
  segments?: number;
  @ApiPropertyOptional({ type: [String], description: 'Email: recipients left out, on the suppression list; absent when none was' })
  suppressed?: string[];
}

/** 200 of DELETE /messaging/messages/{id}. */
export class MessageCancelledModel {
  @ApiProperty({ pattern: '^[0-9a-f]{24}$' })
  messageId!: string;

  @ApiProperty({ enum: ['cancelled'] })
  status!: 'cancelled';

  @ApiProperty({ enum: CHANNELS })
  channel!: string;

  @ApiProperty({ ...RECIPIENTS_ECHO })
  to!: string | string[];
}
