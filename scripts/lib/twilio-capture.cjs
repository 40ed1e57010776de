#!/usr/bin/env node
'use strict';
/**
 * Local Twilio capture server (development only): answers like Twilio's Messages API and delivers nothing.
 *
 * Serves, under the fixed local credentials below (Basic auth, as Twilio checks it):
 *   POST /2010-04-01/Accounts/{Sid}/Messages.json  form-encoded Create Message: Twilio's own checks (400 with
 *        its codes), else 201 with a message resource (`SM…` SID, status `queued`); each message is written to
 *        <dir>/<timestamp>-<sid>.json and printed as one line (numbers and sizes, never the body);
 *   GET  /2010-04-01/Accounts/{Sid}.json            the Account resource (`active`), which the app's health reads.
 * Anything else answers Twilio's 404; wrong credentials its 401 / 20003. A create with a StatusCallback gets
 * Twilio's signed status callbacks posted there, queued → sent → delivered (scripts/lib/twilio-status-callbacks.cjs).
 *
 *   node scripts/lib/twilio-capture.cjs [--host 127.0.0.1] [--port 8026] [--dir .local/sms]
 *
 * Usually started by scripts/local-services.cjs (scripts/lib/twilio-service.cjs). Also usable in-process:
 *
 *   const { createTwilioCaptureServer } = require('../scripts/lib/twilio-capture.cjs');
 *   const capture = await createTwilioCaptureServer({ port: 0, dir: null }); // dir null: keep in memory only
 *   capture.url; capture.messages; await capture.close();
 */
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { accountResource, errorBody, fieldsOf, messageProblem, messageResource } = require('./twilio-resources.cjs');
const { postStatusCallbacks } = require('./twilio-status-callbacks.cjs');

const DEFAULT_TWILIO_CAPTURE_PORT = 8026;
const SMS_DIR = path.resolve(__dirname, '..', '..', '.local', 'sms');
/**
 * Test credentials of the capture. Not secrets: they only ever reach this loopback server, and they are fixed
 * so that a capture left running by one `npm start` is usable by the next.
 */
const LOCAL_ACCOUNT_SID = 'AC0000000000000000000000000000c0de';
const LOCAL_AUTH_TOKEN = 'local-twilio-capture-token';
/** Twilio's magic test number for a valid sender; used as the SMS and the WhatsApp sender. */
const LOCAL_SENDER = '+15005550006';
/** Create Message bodies are a few kB; anything far larger is not a Twilio request. */
const MAX_BODY_BYTES = 1024 * 1024;
const API_VERSION = '/2010-04-01';

function fileStamp(date) {
  // 2026-01-31T12-34-56-789Z: sortable and safe on every filesystem
  return date.toISOString().replace(/[:.]/g, '-');
}

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * @param {{ host?: string, port?: number, dir?: string | null, accountSid?: string, authToken?: string,
 *           log?: (line: string) => void, onMessage?: (message: object) => void, callbackStepMs?: number }} [options]
 *        onMessage: called with each captured message. callbackStepMs: pause before each status callback (300).
 * @returns {Promise<{ server: http.Server, host: string, port: number, url: string, dir: string | null,
 *           accountSid: string, authToken: string, messages: object[], close: () => Promise<void> }>}
 */
async function createTwilioCaptureServer(options = {}) {
  const host = options.host || '127.0.0.1';
  const port = options.port ?? DEFAULT_TWILIO_CAPTURE_PORT;
  const dir = options.dir === undefined ? SMS_DIR : options.dir;
  const accountSid = options.accountSid || LOCAL_ACCOUNT_SID;
  const authToken = options.authToken || LOCAL_AUTH_TOKEN;
  const log = options.log || ((line) => console.log(line));
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
  const base = `${API_VERSION}/Accounts/${accountSid}`;
  const messages = [];

  if (dir) fs.mkdirSync(dir, { recursive: true });

  const capture = (form) => {
    const resource = messageResource(accountSid, form);
    const receivedAt = new Date();
    const to = form.get('To') || '';
    const message = {
      sid: resource.sid,
      channel: to.startsWith('whatsapp:') ? 'whatsapp' : 'sms',
      receivedAt: receivedAt.toISOString(),
      request: fieldsOf(form), // as Twilio would receive it: To, From, Body, MediaUrl...
      response: resource,
    };
    let file = null;
    if (dir) {
      file = path.join(dir, `${fileStamp(receivedAt)}-${resource.sid}.json`);
      fs.writeFileSync(file, `${JSON.stringify(message, null, 2)}\n`);
    }
    messages.push({ ...message, file });
    const where = file ? path.relative(process.cwd(), file) || file : '(memory)';
    log(
      `[twilio-capture] ${message.receivedAt} ${message.channel} ${resource.sid} from=${form.get('From') || form.get('MessagingServiceSid')} ` +
        `to=${to} chars=${(form.get('Body') || '').length} media=${form.getAll('MediaUrl').length} -> ${where}`,
    );
    if (options.onMessage) options.onMessage(message);
    // Twilio's signed queued → sent → delivered callbacks, when the create asked for them (the app does
    // once PUBLIC_BASE_URL is set, as npm start sets it). Not awaited: the create answers first.
    const statusCallback = form.get('StatusCallback');
    if (statusCallback) void postStatusCallbacks({ url: statusCallback, accountSid, authToken, message, stepMs: options.callbackStepMs, log });
    return resource;
  };

  const handle = (req, res, rawBody) => {
    const urlPath = (req.url || '/').split('?')[0];
    if (req.headers.authorization !== expectedAuth) return send(res, 401, errorBody(401, 20003, 'Authenticate'));
    if (req.method === 'GET' && urlPath === `${base}.json`) {
      return send(res, 200, accountResource(accountSid, 'FluxKit local Twilio capture (nothing is delivered)'));
    }
    if (req.method === 'POST' && urlPath === `${base}/Messages.json`) {
      const form = new URLSearchParams(rawBody);
      const problem = messageProblem(form);
      return problem ? send(res, problem.status, problem) : send(res, 201, capture(form));
    }
    return send(res, 404, errorBody(404, 20404, `The requested resource ${urlPath} was not found`));
  };

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) return send(res, 413, errorBody(413, 20413, `Request body exceeds ${MAX_BODY_BYTES} bytes`));
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (err) {
        log(`[twilio-capture] error: ${err.message}`);
        if (!res.headersSent) send(res, 500, errorBody(500, 20500, 'An internal server error has occurred'));
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`[twilio-capture] error: ${err.message}`));

  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    server,
    host,
    port: actualPort,
    url: `http://${host}:${actualPort}`,
    dir,
    accountSid,
    authToken,
    messages,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: String(DEFAULT_TWILIO_CAPTURE_PORT) },
      dir: { type: 'string', default: SMS_DIR },
    },
  });
  const capture = await createTwilioCaptureServer({ host: values.host, port: Number(values.port), dir: path.resolve(values.dir) });
  console.log(`[twilio-capture] listening on ${capture.url}, writing .json files to ${capture.dir} (pid ${process.pid})`);
  const shutdown = (signal) => {
    console.log(`[twilio-capture] ${signal}, closing`);
    capture.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

module.exports = {
  createTwilioCaptureServer,
  DEFAULT_TWILIO_CAPTURE_PORT,
  SMS_DIR,
  LOCAL_ACCOUNT_SID,
  LOCAL_AUTH_TOKEN,
  LOCAL_SENDER,
};

if (require.main === module) {
  main().catch((err) => {
    console.error(`[twilio-capture] failed to start: ${err.message}`);
    process.exit(1);
  });
}
