import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { SmtpSink } from '../../../../test/helpers/smtp-sink.js';
import type { SmtpOptions } from '../../messaging-options.interface.js';
import type { OutgoingEmail } from '../email.provider.js';
import { FailoverProvider, FailoverSendError } from '../failover/failover.provider.js';
import { smtpRelays } from './smtp-relays.js';

/** Timeouts short enough for a spec; the behaviour is the one of the defaults. */
const relay = (port: number): SmtpOptions => ({ host: '127.0.0.1', port, secure: false, from: 'app@example.test', timeoutMs: 300 });
const MAIL: OutgoingEmail = { to: ['user@example.test'], subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' };

/** A TCP server that accepts connections and never greets. */
async function silentServer(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

/** An SMTP server that greets and takes the sender, then never answers RCPT TO (stalls before DATA). */
async function stallingAtRecipient(): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.write('220 stalling.test ESMTP\r\n');
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
        const command = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (command.startsWith('EHLO') || command.startsWith('HELO')) socket.write('250 stalling.test\r\n');
        else if (command.startsWith('MAIL FROM')) socket.write('250 OK\r\n');
        else if (command.startsWith('QUIT')) socket.end('221 Bye\r\n');
        // RCPT TO: no answer, ever.
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

describe('SMTP relays in failover order (real SMTP servers)', () => {
  let first: SmtpSink;
  let second: SmtpSink;
  beforeAll(async () => {
    [first, second] = await Promise.all([SmtpSink.start(), SmtpSink.start()]);
  });
  afterEach(() => {
    first.reset();
    second.reset();
  });
  afterAll(async () => {
    await Promise.all([first.stop(), second.stop()]);
  });

  it('is one plain provider without failover relays, a FailoverProvider named smtp, smtp-2 with them', () => {
    const alone = smtpRelays({ smtp: relay(first.port) });
    const both = smtpRelays({ smtp: relay(first.port), smtpFailover: [relay(second.port)] });
    try {
      expect(alone).not.toBeInstanceOf(FailoverProvider);
      expect(alone?.name).toBe('smtp');
      expect(both).toBeInstanceOf(FailoverProvider);
      expect((both as FailoverProvider<OutgoingEmail>).providers.map((p) => p.name)).toEqual(['smtp', 'smtp-2']);
    } finally {
      void (alone as unknown as { onModuleDestroy(): void }).onModuleDestroy();
      void (both as FailoverProvider<OutgoingEmail>).onModuleDestroy();
    }
  });

  it('does not fail over when the first relay timed out after the whole message reached it (it may have delivered)', async () => {
    first.delayDataReply(5_000);
    const email = smtpRelays({ smtp: relay(first.port), smtpFailover: [relay(second.port)] }) as FailoverProvider<OutgoingEmail>;
    try {
      const error = await email.send(MAIL).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(FailoverSendError);
      expect((error as FailoverSendError).message).toBe('Failed to send email: the SMTP server did not answer in time');
      expect((error as FailoverSendError).attempts.map((a) => [a.provider, a.outcome])).toEqual([['smtp', 'failed']]);
      expect(first.recipientAttempts.length).toBeGreaterThan(0);
      expect(second.recipientAttempts).toEqual([]);
    } finally {
      await email.onModuleDestroy();
    }
  });

  it('fails over when the first relay never greeted (nothing of the message reached it)', async () => {
    const silent = await silentServer();
    const email = smtpRelays({ smtp: relay(silent.port), smtpFailover: [relay(second.port)] }) as FailoverProvider<OutgoingEmail>;
    try {
      const receipt = await email.send(MAIL);
      expect(receipt.provider).toBe('smtp-2');
      expect(receipt.attempts.map((a) => [a.provider, a.outcome, a.error?.message])).toEqual([
        ['smtp', 'failed', 'Failed to send email: the SMTP server did not answer in time'],
        ['smtp-2', 'sent', undefined],
      ]);
      const [received] = await second.waitForMessages(1);
      expect(received?.mail.messageId).toBe(receipt.messageId);
    } finally {
      await email.onModuleDestroy();
      silent.sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => silent.server.close(resolve));
    }
  });

  it('fails over when the first relay stalled before DATA (an idle-socket timeout, but the message never left)', async () => {
    const stalling = await stallingAtRecipient();
    const email = smtpRelays({ smtp: relay(stalling.port), smtpFailover: [relay(second.port)] }) as FailoverProvider<OutgoingEmail>;
    try {
      const receipt = await email.send(MAIL);
      expect(receipt.attempts.map((a) => [a.provider, a.outcome])).toEqual([
        ['smtp', 'failed'],
        ['smtp-2', 'sent'],
      ]);
      await second.waitForMessages(1);
    } finally {
      await email.onModuleDestroy();
      stalling.sockets.forEach((socket) => socket.destroy());
      await new Promise((resolve) => stalling.server.close(resolve));
    }
  });
});
