// What the two nodemailer adapters share. Both are needed: smtp/smtp-email.provider.ts owns a
// pooled SMTP transport built from our options (retries, hand-over tracking, its own verify), while
// nodemailer/nodemailer-email.provider.ts sends once through a transport the host built (SES,
// sendmail...) under that transport's own policy. What they hand the transport is the same mail.
import { randomUUID } from 'node:crypto';
import type { EmailAttachment, OutgoingEmail } from './email.provider.js';

/** A recipient as an address object: nodemailer never re-parses it, so one string cannot become several recipients. */
export interface TransportMailbox {
  name: string;
  address: string;
}

/** An attachment as nodemailer takes it (`cid` makes it inline, in a multipart/related part). */
export interface TransportAttachment {
  filename: string;
  content: string;
  encoding: 'base64';
  contentType?: string;
  cid?: string;
}

/** The mail handed to the transport (a subset of nodemailer's message options). */
export interface TransportMail {
  messageId: string;
  from: string;
  to: TransportMailbox[];
  cc?: TransportMailbox[];
  bcc?: TransportMailbox[];
  replyTo?: TransportMailbox;
  subject: string;
  html: string;
  text: string;
  attachments?: TransportAttachment[];
  headers?: Record<string, string>;
}

/** A new Message-ID in the sender's domain, angle brackets included. */
export function newMessageId(from: string): string {
  return `<${randomUUID()}@${domainOf(from)}>`;
}

/** `email` as nodemailer takes it, From defaulting to `defaultFrom`. */
export function transportMail(email: OutgoingEmail, defaultFrom: string, messageId: string): TransportMail {
  return {
    messageId,
    from: email.from ?? defaultFrom,
    to: email.to.map(mailbox),
    cc: email.cc?.map(mailbox),
    bcc: email.bcc?.map(mailbox),
    replyTo: email.replyTo === undefined ? undefined : mailbox(email.replyTo),
    subject: email.subject,
    html: email.html,
    text: email.text,
    ...(email.headers ? { headers: { ...email.headers } } : {}),
    ...(email.attachments?.length ? { attachments: email.attachments.map(transportAttachment) } : {}),
  };
}

/** Without a contentType, nodemailer derives one from the file name. */
export function transportAttachment(attachment: EmailAttachment): TransportAttachment {
  return {
    filename: attachment.filename,
    content: attachment.content,
    encoding: 'base64',
    ...(attachment.contentType === undefined ? {} : { contentType: attachment.contentType }),
    ...(attachment.contentId === undefined ? {} : { cid: attachment.contentId }),
  };
}

function mailbox(address: string): TransportMailbox {
  return { name: '', address };
}

/** `"App <no-reply@example.com>"` → `example.com`. */
function domainOf(from: string): string {
  return /@([^\s@<>]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';
}
