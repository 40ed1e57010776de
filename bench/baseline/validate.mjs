/**
 * The baseline's request validation: the same rules as the app's DTOs
 * (src/messaging/channels/…/dto), written by hand. Each function returns the
 * list of problems (empty when the body is valid) and never throws.
 */

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEADER_UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f]/;
const E164 = /^\+[1-9]\d{1,14}$/;
const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MIME_TYPE = /^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+-]+)*$/;
const FILE_NAME = /^[^\\/\p{Cc}]+$/u;
const MAX_RECIPIENTS = 50;
const MAX_SUBJECT = 998;
const MAX_SMS_BODY = 1600;

const EMAIL_FIELDS = new Set(['to', 'subject', 'body', 'text', 'cc', 'bcc', 'replyTo']);
const TEMPLATE_FIELDS = new Set(['to', 'template', 'data', 'subject', 'cc', 'bcc', 'replyTo']);
const PHONE_FIELDS = new Set(['to', 'body']);
const WHATSAPP_FIELDS = new Set(['to', 'body', 'media']);
const MEDIA_FIELDS = new Set(['url', 'contentType', 'filename']);

function isAddress(value) {
  if (typeof value !== 'string' || value.length > 254 || CONTROL.test(value)) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && LOCAL_PART.test(local) && DOMAIN.test(domain) && /[A-Za-z]/.test(domain);
}

function recipients(value, field, problems) {
  if (typeof value === 'string') {
    if (!isAddress(value)) problems.push(`${field} must be a single email address`);
    return 1;
  }
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${field} must be an email address or a non-empty list of them`);
    return 0;
  }
  value.forEach((item, i) => isAddress(item) || problems.push(`${field}[${i}] must be a single email address`));
  return value.length;
}

function unknownFields(body, allowed, problems, prefix = '') {
  for (const key of Object.keys(body)) if (!allowed.has(key)) problems.push(`property ${prefix}${key} should not exist`);
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value) {
  return typeof value === 'string' && value.length > 0;
}

/** to/cc/bcc/replyTo/subject rules shared by both email routes. */
function envelope(body, problems, subjectRequired) {
  let count = recipients(body.to, 'to', problems);
  if (body.cc !== undefined) count += recipients(body.cc, 'cc', problems);
  if (body.bcc !== undefined) count += recipients(body.bcc, 'bcc', problems);
  if (count > MAX_RECIPIENTS) problems.push(`at most ${MAX_RECIPIENTS} recipients`);
  if (body.replyTo !== undefined && !isAddress(body.replyTo)) problems.push('replyTo must be a single email address');
  if (body.subject !== undefined || subjectRequired) {
    const { subject } = body;
    if (!nonEmptyString(subject) || subject.length > MAX_SUBJECT || HEADER_UNSAFE.test(subject)) problems.push('subject is invalid');
  }
}

/** POST /messaging/email */
export function emailProblems(body) {
  if (!isObject(body)) return ['body must be an object'];
  const problems = [];
  unknownFields(body, EMAIL_FIELDS, problems);
  envelope(body, problems, true);
  if (!nonEmptyString(body.body)) problems.push('body must be a non-empty string');
  if (body.text !== undefined && !nonEmptyString(body.text)) problems.push('text must be a non-empty string');
  return problems;
}

/** POST /messaging/email/template (the data itself is checked against the template when rendering). */
export function templateProblems(body) {
  if (!isObject(body)) return ['body must be an object'];
  const problems = [];
  unknownFields(body, TEMPLATE_FIELDS, problems);
  envelope(body, problems, false);
  if (typeof body.template !== 'string' || !TEMPLATE_NAME.test(body.template)) problems.push('template is invalid');
  if (body.data !== undefined && !isObject(body.data)) problems.push('data must be an object');
  return problems;
}

function phoneMessage(body, problems) {
  if (typeof body.to !== 'string' || !E164.test(body.to)) problems.push('to must be an E.164 phone number');
  const text = body.body;
  if (typeof text !== 'string' || !/\S/.test(text) || text.length > MAX_SMS_BODY) problems.push('body is invalid');
}

/** POST /messaging/sms */
export function smsProblems(body) {
  if (!isObject(body)) return ['body must be an object'];
  const problems = [];
  unknownFields(body, PHONE_FIELDS, problems);
  phoneMessage(body, problems);
  return problems;
}

/** POST /messaging/whatsapp */
export function whatsappProblems(body) {
  if (!isObject(body)) return ['body must be an object'];
  const problems = [];
  unknownFields(body, WHATSAPP_FIELDS, problems);
  phoneMessage(body, problems);
  if (body.media !== undefined) mediaProblems(body.media, problems);
  return problems;
}

function mediaProblems(media, problems) {
  if (!isObject(media)) return void problems.push('media must be an object');
  unknownFields(media, MEDIA_FIELDS, problems, 'media.');
  if (!isHttpUrl(media.url)) problems.push('media.url must be an http or https URL');
  if (media.contentType !== undefined && !(typeof media.contentType === 'string' && MIME_TYPE.test(media.contentType))) {
    problems.push('media.contentType must be a MIME type');
  }
  if (media.filename !== undefined && !(typeof media.filename === 'string' && FILE_NAME.test(media.filename))) {
    problems.push('media.filename must be a file name');
  }
}

function isHttpUrl(value) {
  if (typeof value !== 'string' || value.length > 2048) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

const LOG_QUERY_KEYS = new Set(['channel', 'to', 'status', 'template', 'limit', 'offset']);

/** GET /messaging/logs query → { problems, filter, limit, offset } (the subset the benchmark uses). */
export function logsQuery(query) {
  const problems = [];
  unknownFields(query, LOG_QUERY_KEYS, problems);
  const int = (raw, fallback, min, max, name) => {
    if (raw === undefined) return fallback;
    const value = typeof raw === 'string' && /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
    if (!(value >= min && value <= max)) problems.push(`${name} must be an integer from ${min} to ${max}`);
    return value;
  };
  const limit = int(query.limit, 20, 1, 100, 'limit');
  const offset = int(query.offset, 0, 0, 1_000_000, 'offset');
  const filter = {};
  if (query.channel !== undefined) {
    if (!['email', 'sms', 'whatsapp'].includes(query.channel)) problems.push('channel is invalid');
    filter.channel = query.channel;
  }
  if (query.status !== undefined) {
    if (!['pending', 'sent', 'failed'].includes(query.status)) problems.push('status is invalid');
    filter.status = query.status;
  }
  for (const key of ['to', 'template']) {
    if (query[key] === undefined) continue;
    if (typeof query[key] !== 'string' || CONTROL.test(query[key])) problems.push(`${key} is invalid`);
    filter[key] = query[key];
  }
  return { problems, filter, limit, offset };
}
