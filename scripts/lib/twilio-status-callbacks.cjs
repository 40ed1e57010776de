'use strict';
/**
 * The status callbacks Twilio posts for a message, as the local Twilio capture posts them: to the create
 * request's StatusCallback, form-encoded, one per status (queued → sent → delivered, in order), each signed
 * in X-Twilio-Signature with the official SDK's getExpectedTwilioSignature and the capture's auth token,
 * exactly as Twilio signs with an account's token. So `npm start` shows a message's whole lifecycle, and
 * the app's signature check runs against the real scheme.
 */
const { getExpectedTwilioSignature } = require('twilio');

const CALLBACK_STATUSES = ['queued', 'sent', 'delivered'];
/** Pause before each callback: the create's answer (and the app's write of the SID) comes first. */
const DEFAULT_STEP_MS = 300;
const CALLBACK_TIMEOUT_MS = 10_000;

/** The form Twilio posts for `status` of a captured message (the fields an SMS status callback carries). */
function callbackParams(accountSid, message, status) {
  const request = message.request || {};
  const one = (value) => (Array.isArray(value) ? value[0] : value) || '';
  return {
    AccountSid: accountSid,
    ApiVersion: '2010-04-01',
    From: one(request.From),
    To: one(request.To),
    MessageSid: message.sid,
    SmsSid: message.sid,
    MessageStatus: status,
    SmsStatus: status,
    ...(request.MessagingServiceSid ? { MessagingServiceSid: one(request.MessagingServiceSid) } : {}),
  };
}

/**
 * Posts the callbacks of `message` to `url`, one after the other; stops at the first that cannot be posted.
 * Logs the status and the answer's HTTP status, never the URL's query or the message's body.
 * @param {{ url: string, accountSid: string, authToken: string, message: { sid: string, request: object },
 *           stepMs?: number, log: (line: string) => void }} options
 * @returns {Promise<void>} never rejects
 */
async function postStatusCallbacks({ url, accountSid, authToken, message, stepMs = DEFAULT_STEP_MS, log }) {
  for (const status of CALLBACK_STATUSES) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const params = callbackParams(accountSid, message, status);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': getExpectedTwilioSignature(authToken, url, params),
        },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
      });
      await response.body?.cancel().catch(() => undefined);
      log(`[twilio-capture] ${message.sid} status callback ${status} -> HTTP ${response.status}`);
    } catch (err) {
      log(`[twilio-capture] ${message.sid} status callback ${status} not delivered: ${err.cause?.code || err.message}`);
      return;
    }
  }
}

module.exports = { postStatusCallbacks, callbackParams, CALLBACK_STATUSES };
