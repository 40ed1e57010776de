#!/usr/bin/env node
'use strict';
/**
 * Local SMTP capture server (development only).
 *
 * Accepts every message (any or no AUTH, no TLS), writes each one as
 * <dir>/<timestamp>.eml and prints one line per message.
 *
 *   node scripts/lib/smtp-capture.cjs [--host 127.0.0.1] [--port 1025] [--dir .local/mail]
 *
 * Usually started by scripts/local-services.cjs. Also usable in-process:
 *
 *   const { createCaptureServer } = require('../scripts/lib/smtp-capture.cjs');
 *   const capture = await createCaptureServer({ port: 0, dir: null }); // dir null: keep in memory only
 *   capture.port; capture.messages; await capture.close();
 */
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { SMTPServer } = require('smtp-server');
const { simpleParser } = require('mailparser');

const MAX_SIZE = 25 * 1024 * 1024;

function addressList(value) {
  if (!value) return '';
  const list = Array.isArray(value) ? value : [value];
  return list.map((a) => a.text).join(', ');
}

function fileStamp(date) {
  // 2026-01-31T12-34-56-789Z: sortable and safe on every filesystem
  return date.toISOString().replace(/[:.]/g, '-');
}

/**
 * @param {{ host?: string, port?: number, dir?: string | null, log?: (line: string) => void,
 *           onMessage?: (msg: object) => void }} [options]
 * @returns {Promise<{ server: SMTPServer, host: string, port: number, dir: string | null,
 *           messages: object[], close: () => Promise<void> }>}
 */
async function createCaptureServer(options = {}) {
  const host = options.host || '127.0.0.1';
  const port = options.port ?? 1025;
  const dir = options.dir === undefined ? path.resolve(__dirname, '..', '..', '.local', 'mail') : options.dir;
  const log = options.log || ((line) => console.log(line));
  const messages = [];
  let counter = 0;

  if (dir) fs.mkdirSync(dir, { recursive: true });

  const server = new SMTPServer({
    name: 'fluxkit-smtp-capture',
    banner: 'FluxKit local SMTP capture - nothing is delivered',
    authOptional: true,
    // nodemailer upgrades with STARTTLS whenever it is offered; plain SMTP keeps local runs simple.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    size: MAX_SIZE,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username || 'anonymous' });
    },
    onData(stream, session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', async () => {
        try {
          if (stream.sizeExceeded) {
            const err = new Error(`Message exceeds ${MAX_SIZE} bytes`);
            err.responseCode = 552;
            callback(err);
            return;
          }
          const raw = Buffer.concat(chunks);
          const receivedAt = new Date();
          let file = null;
          if (dir) {
            counter += 1;
            file = path.join(dir, `${fileStamp(receivedAt)}-${String(counter).padStart(4, '0')}.eml`);
            fs.writeFileSync(file, raw);
          }
          let parsed = null;
          try {
            parsed = await simpleParser(raw);
          } catch {
            parsed = null;
          }
          const envelopeTo = session.envelope.rcptTo.map((r) => r.address);
          const msg = {
            receivedAt,
            file,
            raw,
            envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: envelopeTo },
            from: parsed ? addressList(parsed.from) : '',
            to: parsed ? addressList(parsed.to) : envelopeTo.join(', '),
            subject: parsed ? parsed.subject || '' : '',
            text: parsed ? parsed.text || '' : '',
            html: parsed && typeof parsed.html === 'string' ? parsed.html : '',
            attachments: parsed ? parsed.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })) : [],
          };
          messages.push(msg);
          const where = file ? path.relative(process.cwd(), file) || file : '(memory)';
          log(
            `[smtp-capture] ${receivedAt.toISOString()} from=<${msg.envelope.from}> to=${envelopeTo.join(',')} ` +
              `subject=${JSON.stringify(msg.subject)} size=${raw.length} -> ${where}`,
          );
          if (options.onMessage) options.onMessage(msg);
          callback(null, file ? `Captured as ${path.basename(file)}` : 'Captured');
        } catch (err) {
          callback(err);
        }
      });
    },
  });
  server.on('error', (err) => log(`[smtp-capture] error: ${err.message}`));

  await new Promise((resolve, reject) => {
    const onError = (err) => reject(err);
    server.server.once('error', onError);
    server.listen(port, host, () => {
      server.server.removeListener('error', onError);
      resolve();
    });
  });

  const address = server.server.address();
  return {
    server,
    host,
    port: typeof address === 'object' && address ? address.port : port,
    dir,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '1025' },
      dir: { type: 'string', default: path.resolve(__dirname, '..', '..', '.local', 'mail') },
    },
  });
  const capture = await createCaptureServer({ host: values.host, port: Number(values.port), dir: path.resolve(values.dir) });
  console.log(`[smtp-capture] listening on smtp://${capture.host}:${capture.port}, writing .eml files to ${capture.dir} (pid ${process.pid})`);
  const shutdown = (signal) => {
    console.log(`[smtp-capture] ${signal}, closing`);
    capture.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

module.exports = { createCaptureServer };

if (require.main === module) {
  main().catch((err) => {
    console.error(`[smtp-capture] failed to start: ${err.message}`);
    process.exit(1);
  });
}
