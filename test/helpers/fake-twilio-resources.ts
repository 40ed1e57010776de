import { randomBytes } from 'node:crypto';
import type { FakeTwilioFault } from './fake-twilio.js';

/** Twilio's error body: `{code, message, more_info, status}`. */
export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function errorBody(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Ready-made faults with Twilio's real codes and messages. */
export const faults = {
  /** 500 (or another 5xx) with Twilio's generic server error. */
  serverError: (status = 500, code = 20500): FakeTwilioFault => ({
    type: 'error',
    status,
    code,
    message: 'An internal server error has occurred',
  }),
  /** 429 Too Many Requests (Twilio code 20429). */
  tooManyRequests: (): FakeTwilioFault => ({ type: 'error', status: 429, code: 20429, message: 'Too Many Requests' }),
  /** Any 4xx rejection, e.g. `rejection(21610, 'Attempt to send to unsubscribed recipient')`. */
  rejection: (code: number, message: string, status = 400): FakeTwilioFault => ({ type: 'error', status, code, message }),
  /** 400 / 21211: the To number is not valid. */
  invalidNumber: (): FakeTwilioFault => ({
    type: 'error',
    status: 400,
    code: 21211,
    message: "The 'To' number is not a valid phone number.",
  }),
  /** 400 / 21610: the recipient replied STOP. */
  unsubscribed: (): FakeTwilioFault => ({
    type: 'error',
    status: 400,
    code: 21610,
    message: 'Attempt to send to unsubscribed recipient',
  }),
  /** The normal answer, `delayMs` late; Infinity never answers. */
  slow: (delayMs: number): FakeTwilioFault => ({ type: 'slow', delayMs }),
  /** The connection is destroyed after the request is read. */
  drop: (): FakeTwilioFault => ({ type: 'drop' }),
};

/** RFC 2822 dates, as Twilio writes them: `Thu, 24 Aug 2023 05:01:45 +0000`. */
function twilioDate(date = new Date()): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** A new Message SID: `SM` + 32 hex digits. */
export function messageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** The 201 answer of Create Message, as Twilio shapes it. */
export function messageResource(accountSid: string, form: URLSearchParams): Record<string, unknown> {
  const sid = messageSid();
  const now = twilioDate();
  const serviceSid = form.get('MessagingServiceSid');
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}`;
  return {
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: form.get('Body') ?? '',
    date_created: now,
    date_sent: null,
    date_updated: now,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: form.get('From'),
    messaging_service_sid: serviceSid,
    num_media: String(form.getAll('MediaUrl').length),
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    sid,
    // With a Messaging Service, Twilio picks the sender later: `accepted`.
    status: serviceSid && !form.get('From') ? 'accepted' : 'queued',
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: form.get('To'),
    uri: `${uri}.json`,
  };
}

/** The answer of Fetch Account. */
export function accountResource(accountSid: string): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${accountSid}`;
  return {
    date_created: twilioDate(new Date(Date.UTC(2024, 0, 1))),
    date_updated: twilioDate(),
    friendly_name: 'Fake Twilio account',
    owner_account_sid: accountSid,
    sid: accountSid,
    status: 'active',
    subresource_uris: { messages: `${uri}/Messages.json`, balance: `${uri}/Balance.json` },
    type: 'Full',
    uri: `${uri}.json`,
  };
}

/** Twilio's own checks of a Create Message request, in its order and with its codes. */
export function messageProblem(form: URLSearchParams): TwilioErrorBody | undefined {
  if (!form.get('To')) return errorBody(400, 21604, "A 'To' phone number is required.");
  if (!form.get('From') && !form.get('MessagingServiceSid')) {
    return errorBody(400, 21603, "A 'From' phone number is required.");
  }
  const body = form.get('Body') ?? '';
  if (!body && form.getAll('MediaUrl').length === 0) return errorBody(400, 21602, 'Message body is required.');
  if (body.length > 1600) {
    return errorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  return undefined;
}

/** The form as a plain object: one value → string, repeated key → array. */
export function fieldsOf(form: URLSearchParams): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    fields[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return fields;
}
