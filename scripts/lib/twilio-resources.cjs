'use strict';
/**
 * Twilio's Messages API shapes (2010-04-01), as plain functions: the message and account resources, its
 * error body and its own checks of a Create Message request.
 *
 * One copy for both Twilio-compatible servers: the local capture of `npm start` (scripts/lib/twilio-capture.cjs)
 * and the tests' scriptable fake (test/helpers/fake-twilio.ts, typed in test/helpers/fake-twilio-resources.ts).
 * CommonJS on purpose, like the other scripts: it runs without a build.
 */
const { randomBytes } = require('node:crypto');

/** Twilio's error body: `{code, message, more_info, status}`. */
function errorBody(status, code, message) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** RFC 2822 dates, as Twilio writes them: `Thu, 24 Aug 2023 05:01:45 +0000`. */
function twilioDate(date = new Date()) {
  return date.toUTCString().replace('GMT', '+0000');
}

/** A new Message SID: `SM` + 32 hex digits. */
function messageSid() {
  return `SM${randomBytes(16).toString('hex')}`;
}

/**
 * The 201 answer of Create Message, as Twilio shapes it.
 * @param {string} accountSid
 * @param {URLSearchParams} form
 * @returns {Record<string, unknown>}
 */
function messageResource(accountSid, form) {
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

/**
 * The answer of Fetch Account.
 * @param {string} accountSid
 * @param {string} [friendlyName]
 */
function accountResource(accountSid, friendlyName = 'Fake Twilio account') {
  const uri = `/2010-04-01/Accounts/${accountSid}`;
  return {
    date_created: twilioDate(new Date(Date.UTC(2024, 0, 1))),
    date_updated: twilioDate(),
    friendly_name: friendlyName,
    owner_account_sid: accountSid,
    sid: accountSid,
    status: 'active',
    subresource_uris: { messages: `${uri}/Messages.json`, balance: `${uri}/Balance.json` },
    type: 'Full',
    uri: `${uri}.json`,
  };
}

/**
 * Twilio's own checks of a Create Message request, in its order and with its codes.
 * @param {URLSearchParams} form
 */
function messageProblem(form) {
  if (!form.get('To')) return errorBody(400, 21604, "A 'To' phone number is required.");
  if (!form.get('From') && !form.get('MessagingServiceSid')) {
    return errorBody(400, 21603, "A 'From' phone number is required.");
  }
  const body = form.get('Body') ?? '';
  // An approved template (Content API) takes the place of a body.
  if (!body && form.getAll('MediaUrl').length === 0 && !form.get('ContentSid')) {
    return errorBody(400, 21602, 'Message body is required.');
  }
  if (body.length > 1600) {
    return errorBody(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
  }
  return undefined;
}

/**
 * The form as a plain object: one value → string, repeated key → array.
 * @param {URLSearchParams} form
 */
function fieldsOf(form) {
  const fields = {};
  for (const key of new Set(form.keys())) {
    const values = form.getAll(key);
    fields[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return fields;
}

module.exports = { errorBody, twilioDate, messageSid, messageResource, accountResource, messageProblem, fieldsOf };
