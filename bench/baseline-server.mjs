#!/usr/bin/env node
/**
 * The baseline: the same endpoints doing the same work per request as the
 * app, on bare Fastify with no Nest. Per send: verify the HS256 JWT
 * (jsonwebtoken), validate the fields, look the recipients up on the
 * suppression list, write the pending row (mongodb driver), call the same
 * SMTP / Twilio-compatible server, mark the row sent.
 * Per status callback: parse the form, check X-Twilio-Signature, move the row forward.
 * Reads the app's environment variables (MONGODB_URI, JWT_SECRET, SMTP_*,
 * EMAIL_FROM, TWILIO_*, PUBLIC_BASE_URL, PORT); BASELINE_TWILIO=fetch swaps the Twilio SDK for fetch.
 * With REDIS_URL (and REDIS_KEY_PREFIX), `Prefer: respond-async` on the SMS route does what the app's
 * acceptance does: the consent check, a `queued` row, a BullMQ job, 202 (no worker runs here).
 */
import { createSecretKey } from 'node:crypto';
import path from 'node:path';
import Fastify from 'fastify';
import jwt from 'jsonwebtoken';
import { cachedHealth, smtpProvider, twilioProvider } from './baseline/providers.mjs';
import { MAX_FORM_BYTES, MOVES_FROM, parseForm, receiptOf, signatureChecker, STATUS_ROUTE } from './baseline/receipts.mjs';
import { acceptMessage, openQueue, prefersRespondAsync } from './baseline/queue.mjs';
import { openStore, toView } from './baseline/store.mjs';
import { htmlToText, loadTemplates } from './baseline/templates.mjs';
import { emailProblems, logsQuery, smsProblems, templateProblems, whatsappProblems } from './baseline/validate.mjs';
import { packageRoot } from './paths.mjs';

const env = process.env;
// A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM public key on every verify.
const secret = createSecretKey(Buffer.from(env.JWT_SECRET, 'utf8'));
const store = await openStore(env.MONGODB_URI);
const smtp = smtpProvider({ host: env.SMTP_HOST, port: Number(env.SMTP_PORT), from: env.EMAIL_FROM });
const sms = twilioProvider({
  accountSid: env.TWILIO_ACCOUNT_SID,
  authToken: env.TWILIO_AUTH_TOKEN,
  baseUrl: env.TWILIO_API_BASE_URL,
  mode: env.BASELINE_TWILIO ?? 'sdk',
});
const queue = env.REDIS_URL ? await openQueue(env.REDIS_URL, env.REDIS_KEY_PREFIX ?? 'fluxkit') : undefined;
const render = loadTemplates(env.TEMPLATES_DIR ?? path.join(packageRoot(), 'templates'));
// One cached check per channel, as the app keeps them (SMS and WhatsApp share the Twilio account).
const health = { email: cachedHealth(smtp), sms: cachedHealth(sms), whatsapp: cachedHealth(sms) };

class HttpError extends Error {
  constructor(status, code, message, details) {
    super(message);
    Object.assign(this, { status, code, details });
  }
}

/** The token subject, or 401: HS256 only, `sub` a non-empty string, `exp` required. */
function authenticate(request) {
  const header = request.headers.authorization;
  if (typeof header !== 'string' || !header.startsWith('Bearer ')) throw new HttpError(401, 'UNAUTHORIZED', 'Unauthorized');
  try {
    const payload = jwt.verify(header.slice(7), secret, { algorithms: ['HS256'] });
    const now = Math.floor(Date.now() / 1000);
    const ok = typeof payload.sub === 'string' && payload.sub !== '' && typeof payload.exp === 'number' && !(payload.iat > now + 60);
    if (ok) return payload.sub;
  } catch {
    // every failure is the same 401
  }
  throw new HttpError(401, 'UNAUTHORIZED', 'Unauthorized');
}

function validated(problems) {
  if (problems.length > 0) throw new HttpError(400, 'VALIDATION_ERROR', 'Invalid request', { problems });
}

/**
 * The final status write, retried like the app's (3 attempts, 200 ms × attempt apart): the
 * provider has answered, so a passing database error must not turn the answer into a 500.
 */
async function finalize(write) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= 3) return void process.stderr.write(`log row left pending: ${error?.message ?? error}\n`);
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

// `Prefer: respond-async` with a queue: consent check, `queued` row, job (the app's AsyncDelivery.accept).
const accept = (entry, message) =>
  acceptMessage({ store, queue, screen, fail: (status, code, text) => new HttpError(status, code, text) }, entry, message);

/** The consent check before a send (the app's ConsentGate): 422 when every recipient is suppressed. */
async function screen(requestedBy, channel, recipients) {
  const suppressed = await store.suppressedAmong(requestedBy, channel, recipients);
  if (suppressed.size > 0) throw new HttpError(422, 'RECIPIENT_SUPPRESSED', 'Every recipient is on the suppression list');
}

/**
 * consent check → pending row → provider → sent (or failed, and SEND_FAILED). The row carries what
 * the app's does: its tenant (the token subject) and category, so the same indexes hold it.
 */
async function dispatch(entry, send, recipients) {
  await screen(entry.requestedBy, entry.channel, recipients);
  entry = { ...entry, category: 'transactional', tenant: entry.requestedBy };
  let id;
  try {
    id = await store.createPending(entry);
  } catch (error) {
    process.stderr.write(`could not write the pending row: ${error?.message ?? error}\n`);
    throw new HttpError(503, 'SERVICE_UNAVAILABLE', 'The message log store is unavailable');
  }
  let messageId;
  const at = new Date();
  try {
    messageId = await send();
  } catch (error) {
    // On stderr, so the harness can show why a measurement had errors.
    process.stderr.write(`${entry.channel} send failed: ${error?.code ?? ''} ${error?.message ?? error}\n`);
    const logError = { code: 'SEND_FAILED', message: String(error?.message ?? error) };
    await finalize(() => store.markFailed(id, logError, entry.provider, at));
    throw new HttpError(500, 'SEND_FAILED', `Failed to send ${entry.channel}`, { channel: entry.channel, provider: entry.provider });
  }
  await finalize(() => store.markSent(id, messageId, entry.provider, at));
  return messageId;
}

const list = (value) => (value === undefined ? undefined : typeof value === 'string' ? [value] : value);

async function sendEmail(body, requestedBy, content, template) {
  const mail = { to: list(body.to), cc: list(body.cc), bcc: list(body.bcc), replyTo: body.replyTo, ...content };
  const entry = { channel: 'email', to: body.to, cc: mail.cc, bcc: mail.bcc, subject: content.subject, template, provider: smtp.name, requestedBy };
  const messageId = await dispatch(entry, () => smtp.send(mail), [...mail.to, ...(mail.cc ?? []), ...(mail.bcc ?? [])]);
  return { messageId, status: 'sent', channel: 'email', to: body.to, ...(template ? { template } : {}) };
}

async function sendPhone(channel, body, requestedBy, reply) {
  const whatsapp = channel === 'whatsapp';
  const params = whatsapp
    ? { to: `whatsapp:${body.to}`, from: `whatsapp:${env.TWILIO_WHATSAPP_FROM}`, body: body.body, ...(body.media ? { mediaUrl: [body.media.url] } : {}) }
    : { to: body.to, from: env.TWILIO_SMS_FROM, body: body.body };
  if (queue && reply && prefersRespondAsync(reply.request.headers.prefer)) {
    void reply.status(202).header('preference-applied', 'respond-async');
    return accept({ channel, to: body.to, provider: sms.name, requestedBy }, { to: body.to, body: body.body });
  }
  const messageId = await dispatch({ channel, to: body.to, provider: sms.name, requestedBy }, () => sms.send(params), [body.to]);
  return { messageId, status: 'sent', channel, to: body.to };
}

const app = Fastify({ logger: false, bodyLimit: 1_048_576 });

const validSignature = signatureChecker(env.PUBLIC_BASE_URL ?? '', [{ accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN }]);
app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_request, text, done) =>
  done(null, parseForm(text)),
);

app.setErrorHandler((error, _request, reply) => {
  if (!(error instanceof HttpError) || error.status >= 500) process.stderr.write(`${error?.stack ?? error}\n`);
  const status = error instanceof HttpError ? error.status : (error.statusCode ?? 500);
  const code = error instanceof HttpError ? error.code : status === 400 ? 'VALIDATION_ERROR' : 'INTERNAL_ERROR';
  void reply.status(status).send({ error: { code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
});

app.post('/messaging/email', async (request) => {
  const requestedBy = authenticate(request);
  const body = request.body;
  validated(emailProblems(body));
  return sendEmail(body, requestedBy, { subject: body.subject, html: body.body, text: body.text ?? htmlToText(body.body) });
});

app.post('/messaging/email/template', async (request) => {
  const requestedBy = authenticate(request);
  const body = request.body;
  validated(templateProblems(body));
  const rendered = render(body.template, body.data ?? {}, body.subject);
  if (rendered.notFound) throw new HttpError(404, 'TEMPLATE_NOT_FOUND', `Template "${body.template}" not found`);
  validated(rendered.problems ?? []);
  return sendEmail(body, requestedBy, rendered, body.template);
});

app.post('/messaging/sms', async (request, reply) => {
  const requestedBy = authenticate(request);
  validated(smsProblems(request.body));
  return sendPhone('sms', request.body, requestedBy, reply);
});

app.post('/messaging/whatsapp', async (request) => {
  const requestedBy = authenticate(request);
  validated(whatsappProblems(request.body));
  return sendPhone('whatsapp', request.body, requestedBy);
});

app.get('/messaging/logs', async (request) => {
  authenticate(request);
  const { problems, filter, limit, offset } = logsQuery(request.query);
  validated(problems);
  const { rows, total, more } = await store.page(filter, { limit, offset });
  const last = rows.at(-1);
  const nextCursor = more && last ? Buffer.from(JSON.stringify({ t: last.createdAt.getTime(), id: last._id.toHexString() })).toString('base64url') : null;
  return { logs: rows.map(toView), total, limit, offset, nextCursor };
});

app.post(STATUS_ROUTE, async (request, reply) => {
  const form = request.body;
  if (typeof form !== 'object' || form === null || !validSignature(request.headers['x-twilio-signature'], form)) {
    process.stderr.write(`refused a Twilio webhook from ${request.ip}: invalid signature\n`);
    throw new HttpError(403, 'INVALID_SIGNATURE', 'Missing or invalid webhook signature');
  }
  const receipt = receiptOf(form);
  if (receipt) {
    try {
      await store.applyReceipt(receipt, MOVES_FROM[receipt.status]);
    } catch (error) {
      process.stderr.write(`status callback not recorded: ${error?.name ?? 'error'}\n`);
    }
  }
  return reply.status(204).send();
});

app.get('/messaging/health', async (_request, reply) => {
  const [database, email, phone, whatsapp] = await Promise.all([
    store.ping().then(() => true, () => false),
    health.email(),
    health.sms(),
    health.whatsapp(),
  ]);
  const state = (up) => (up ? 'connected' : 'disconnected');
  const status = !database ? 'unhealthy' : email && phone && whatsapp ? 'healthy' : 'degraded';
  if (!database) void reply.status(503);
  return {
    status,
    providers: {
      email: { provider: smtp.name, status: state(email) },
      sms: { provider: sms.name, status: state(phone) },
      whatsapp: { provider: sms.name, status: state(whatsapp) },
    },
    database: { status: state(database) },
  };
});

await app.listen({ port: Number(env.PORT ?? 0), host: '127.0.0.1' });

const shutdown = () =>
  void app.close().then(async () => {
    smtp.close();
    await queue?.close();
    await store.close();
    process.exit(0);
  });
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
