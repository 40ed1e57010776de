import twilio from 'twilio';

/** How the fake Twilio signs and sends one status callback; the defaults are what Twilio does. */
export interface StatusCallbackOptions {
  /** Twilio's ErrorCode field (undelivered, failed). */
  errorCode?: string;
  /** Sign for this URL instead of the one posted to (a signature made for another URL). */
  signedUrl?: string;
  /** Send this X-Twilio-Signature instead of the real one (forged); `null` sends none. */
  signature?: string | null;
  /** AccountSid field, and the token signing it (an account the app does not know). */
  accountSid?: string;
  authToken?: string;
}

export interface CallbackAnswer {
  status: number;
  body: unknown;
}

/**
 * POSTs a status callback as Twilio does: form-encoded fields (MessageSid,
 * MessageStatus, AccountSid, ErrorCode...), signed with the twilio SDK's own
 * getExpectedTwilioSignature, so a signing bug in the app cannot hide behind
 * a matching bug here.
 */
export async function postStatusCallback(
  url: string,
  fields: Record<string, string>,
  authToken: string,
  options: StatusCallbackOptions = {},
): Promise<CallbackAnswer> {
  const signature =
    options.signature === undefined ? twilio.getExpectedTwilioSignature(authToken, options.signedUrl ?? url, fields) : options.signature;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: new URLSearchParams(fields).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The fields of Twilio's status callback for one message. */
export function statusFields(accountSid: string, messageSid: string, status: string, errorCode?: string): Record<string, string> {
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    MessageSid: messageSid,
    SmsSid: messageSid,
    MessageStatus: status,
    SmsStatus: status,
    From: '+15005550006',
    To: '+15551230000',
    ...(errorCode === undefined ? {} : { ErrorCode: errorCode }),
  };
}
