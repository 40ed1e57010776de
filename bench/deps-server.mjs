#!/usr/bin/env node
/**
 * The network dependencies of the servers under test, in one child process
 * (so their work never runs on the orchestrator's or the loader's event loop):
 *
 *   - a real SMTP server (npm smtp-server) on loopback that accepts every
 *     message and discards it (no STARTTLS, no AUTH: plain local relay);
 *   - the Twilio-compatible server of the tests, with recording off;
 *   - a tiny control endpoint, GET /counts, telling how many messages each
 *     received (the harness checks that both servers really send).
 *
 * Prints one JSON line with the addresses once everything listens; exits on
 * SIGTERM or when its parent goes away.
 */
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { loadFakeTwilio } from './fake-twilio.mjs';
import { packageRoot } from './paths.mjs';

const counts = { smtpMessages: 0, smtpBytes: 0 };

function startSmtp() {
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    closeTimeout: 100,
    onData(stream, _session, callback) {
      stream.on('data', (chunk) => (counts.smtpBytes += chunk.length));
      stream.on('end', () => {
        counts.smtpMessages++;
        callback();
      });
    },
  });
  // A client dropping its pooled connection at shutdown is expected here.
  server.on('error', () => undefined);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function startControl(twilio) {
  const server = createServer((req, res) => {
    if (req.url !== '/counts') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ...counts, twilioMessages: twilio.requestCount('messages'), twilioAccount: twilio.requestCount('account') }));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function main() {
  const FakeTwilio = await loadFakeTwilio(packageRoot());
  const [smtp, twilio] = await Promise.all([startSmtp(), FakeTwilio.start({ record: false })]);
  const control = await startControl(twilio);
  const stop = async () => {
    await twilio.stop();
    smtp.close(() => process.exit(0));
    control.close();
    setTimeout(() => process.exit(0), 1_000).unref();
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  process.once('disconnect', () => void stop());
  process.stdout.write(
    `${JSON.stringify({
      smtpPort: smtp.server.address().port,
      twilio: twilio.env(),
      controlUrl: `http://127.0.0.1:${control.address().port}`,
    })}\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`deps-server: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
