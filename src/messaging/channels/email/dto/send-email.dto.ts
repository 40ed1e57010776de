import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsHeaderSafe, IsRecipients, IsSingleAddress, WithinRecipientCap } from './email-validators.js';

/** Longest accepted Subject; RFC 5322 caps a header line at 998 characters. */
export const MAX_SUBJECT_LENGTH = 998;

/** Body of POST /messaging/email (the seed's fields, nothing more). */
export class SendEmailDto {
  /** Recipient address, or a list of them. */
  @IsRecipients()
  @WithinRecipientCap()
  to!: string | string[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SUBJECT_LENGTH)
  @IsHeaderSafe()
  subject!: string;

  /** HTML body. */
  @IsString()
  @IsNotEmpty()
  body!: string;

  /** Plain-text alternative; generated from `body` when absent. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  text?: string;

  @IsOptional()
  @IsRecipients()
  cc?: string | string[];

  @IsOptional()
  @IsRecipients()
  bcc?: string | string[];

  @IsOptional()
  @IsSingleAddress()
  replyTo?: string;
}
