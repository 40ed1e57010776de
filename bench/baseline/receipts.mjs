/**
 * The baseline's Twilio status callbacks: what the app's webhook route does
 * per request (src/messaging/webhooks/, src/messaging/logs/delivery-receipts.service.ts),
 * without Nest. Parse the form (64 KB at most), check X-Twilio-Signature with
 * the twilio SDK's validateRequest against the URL built from PUBLIC_BASE_URL
 * and the token of the account named by AccountSid, then move the row
 * forward only (the store's applyReceipt).
 */
import twilio from 'twilio';

export const STATUS_ROUTE = '/messaging/webhooks/twilio/status';
export const MAX_FORM_BYTES = 64 * 1024;

/** Twilio's MessageStatus → the row status (src/messaging/common/delivery-receipts.ts). */
const STATUS_MAP = {
  accepted: 'sent',
  queued: 'sent',
  sending: 'sent',
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  undelivered: 'undelivered',
  failed: 'failed',
  canceled: 'cancelled',
};

/** The statuses a row may leave for each receipt status: forward only. */
export const MOVES_FROM = {
  sent: [],
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  undelivered: ['sent'],
  failed: ['sent'],
  cancelled: ['sent'],
};

/** The form as the app parses it: one string per key, a list when a key repeats. */
export function parseForm(text) {
  const form = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const earlier = form[key];
    form[key] = earlier === undefined ? value : [...(Array.isArray(earlier) ? earlier : [earlier]), value];
  }
  return form;
}

/** validate(signature, form) → the form's account checked, true or false. */
export function signatureChecker(publicBaseUrl, accounts) {
  const url = `${publicBaseUrl.replace(/\/+$/, '')}${STATUS_ROUTE}`;
  const tokensBySid = new Map();
  for (const { accountSid, authToken } of accounts) tokensBySid.set(accountSid, [...(tokensBySid.get(accountSid) ?? []), authToken]);
  return (signature, form) => {
    if (typeof signature !== 'string' || signature === '') return false;
    const tokens = typeof form.AccountSid === 'string' ? tokensBySid.get(form.AccountSid) : undefined;
    return tokens !== undefined && tokens.some((token) => twilio.validateRequest(token, signature, url, form));
  };
}

const single = (value) => (typeof value === 'string' && value !== '' ? value : undefined);

/** The receipt a callback carries, or undefined (no MessageSid, a status not tracked). */
export function receiptOf(form) {
  const messageId = single(form.MessageSid) ?? single(form.SmsSid);
  const providerStatus = single(form.MessageStatus) ?? single(form.SmsStatus);
  const status = providerStatus === undefined ? undefined : STATUS_MAP[providerStatus];
  if (messageId === undefined || status === undefined) return undefined;
  const errorCode = single(form.ErrorCode);
  return { messageId, status, providerStatus, ...(errorCode === undefined ? {} : { errorCode }) };
}
