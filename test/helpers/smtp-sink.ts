import { simpleParser, type ParsedMail } from 'mailparser';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message the sink accepted, parsed, with the SMTP envelope it came with. */
export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  /** The message as mailparser reads it. */
  mail: ParsedMail;
  /** The message source, as transmitted. */
  raw: string;
  /** The session ran over TLS (STARTTLS). */
  secure: boolean;
  /** The AUTH user, when the client logged in. */
  user?: string;
  /** When the last byte of DATA arrived (before the sink's reply). */
  receivedAt: Date;
}

export interface SmtpSinkOptions {
  /** Offer STARTTLS with this key and certificate (off by default: plain SMTP). */
  tls?: { key: string; cert: string };
  /** Require AUTH with these credentials. */
  auth?: { user: string; pass: string };
}

/**
 * A held DATA transaction: the message has arrived, the reply has not been
 * sent. If the client disconnects meanwhile, the message was never
 * acknowledged: like a real server, the sink does not deliver it (it lands
 * in `unacknowledged` instead of `messages`).
 */
export interface HeldData {
  /** Resolves once the server holds a complete message without answering. */
  reached: Promise<void>;
  /** Sends the 250 reply. */
  release(): void;
}

interface Rejection {
  code: number;
  remaining: number;
}

type SmtpCallback = (error?: Error | null) => void;

/**
 * A real SMTP server (npm smtp-server) on 127.0.0.1 and a free port, for
 * end-to-end tests: it records what it accepts, parsed with mailparser, and
 * can refuse recipients with a reply code, answer DATA late, or hold DATA
 * until the test releases it.
 *
 *   const sink = await SmtpSink.start();
 *   ...SMTP_HOST=127.0.0.1 SMTP_PORT=sink.port...
 *   const [received] = await sink.waitForMessages(1);
 *   await sink.stop();
 */
export class SmtpSink {
  /** Messages accepted, in order. */
  readonly messages: ReceivedMail[] = [];
  /** Every address offered in RCPT TO, accepted or not, in order (to count retries). */
  readonly recipientAttempts: string[] = [];
  /** Held messages whose client went away before the reply: received, never acknowledged, not delivered. */
  readonly unacknowledged: ReceivedMail[] = [];
  /** Resolvers of the sessions still open, by session id (see onClose). */
  private readonly openSessions = new Map<string, () => void>();
  private readonly rejections = new Map<string, Rejection>();
  private dataDelayMs = 0;
  private held: Array<{ reach: () => void; gate: Promise<void> }> = [];
  private waiters: Array<() => void> = [];
  /** Late replies still pending; stop() cancels them so nothing outlives the test. */
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const holder: { sink?: SmtpSink } = {};
    const disabled = [...(options.tls ? [] : ['STARTTLS']), ...(options.auth ? [] : ['AUTH'])];
    const server = new SMTPServer({
      logger: false,
      disabledCommands: disabled,
      authOptional: !options.auth,
      ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
      closeTimeout: 100,
      onAuth: (auth, _session, callback) => {
        const ok = auth.username === options.auth?.user && auth.password === options.auth?.pass;
        callback(ok ? null : smtpError(535, 'Authentication failed'), ok ? { user: auth.username } : undefined);
      },
      onRcptTo: (address, _session, callback) => holder.sink?.onRcptTo(address.address, callback),
      onData: (stream, session, callback) => void holder.sink?.onData(stream, session, callback),
      onClose: (session) => holder.sink?.openSessions.get(session.id)?.(),
    });
    server.on('error', () => undefined); // client resets after a timeout are expected here
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    holder.sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return holder.sink;
  }

  /** Refuses RCPT TO `address` with `code` (550: permanent, 4xx: transient) the next `times` times. */
  rejectRecipient(address: string, code = 550, times = Number.POSITIVE_INFINITY): void {
    this.rejections.set(address.toLowerCase(), { code, remaining: times });
  }

  /** Answers every DATA `ms` late (a server too slow to answer). */
  delayDataReply(ms: number): void {
    this.dataDelayMs = ms;
  }

  /** Holds the next DATA transaction: the message arrives, the reply waits for release(). */
  holdNextData(): HeldData {
    let reach!: () => void;
    let release!: () => void;
    const reached = new Promise<void>((resolve) => (reach = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    this.held.push({ reach, gate });
    return { reached, release };
  }

  /** Resolves with the first `count` accepted messages once they are in. */
  async waitForMessages(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.messages.length < count) {
      if (Date.now() > deadline) throw new Error(`SMTP sink got ${this.messages.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.messages.slice(0, count);
  }

  /** Forgets messages, attempts and every rule. */
  reset(): void {
    this.messages.length = 0;
    this.recipientAttempts.length = 0;
    this.unacknowledged.length = 0;
    this.rejections.clear();
    this.dataDelayMs = 0;
    this.held = [];
  }

  async stop(): Promise<void> {
    this.timers.forEach((timer) => clearTimeout(timer));
    this.timers.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onRcptTo(address: string, callback: SmtpCallback): void {
    this.recipientAttempts.push(address);
    const rejection = this.rejections.get(address.toLowerCase());
    if (rejection && rejection.remaining > 0) {
      rejection.remaining -= 1;
      return callback(smtpError(rejection.code, `Mailbox ${address} unavailable`));
    }
    callback();
  }

  private async onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: SmtpCallback): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const receivedAt = new Date();
    const hold = this.held.shift();
    if (hold) {
      const closed = new Promise<'closed'>((resolve) => this.openSessions.set(session.id, () => resolve('closed')));
      hold.reach();
      const outcome = await Promise.race([hold.gate, closed]);
      this.openSessions.delete(session.id);
      if (outcome === 'closed') {
        this.unacknowledged.push(await this.received(raw, session, receivedAt));
        return;
      }
    } else if (this.dataDelayMs > 0) {
      // The client gives up meanwhile; the late reply then goes nowhere, and nothing is recorded.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, this.dataDelayMs);
        this.timers.add(timer);
      });
      return callback(smtpError(451, 'Too late'));
    }
    this.messages.push(await this.received(raw, session, receivedAt));
    this.waiters.splice(0).forEach((wake) => wake());
    callback();
  }

  private async received(raw: string, session: SMTPServerSession, receivedAt: Date): Promise<ReceivedMail> {
    const mail = await simpleParser(raw);
    const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
    return {
      envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
      mail,
      raw,
      secure: session.secure,
      ...(typeof session.user === 'string' ? { user: session.user } : {}),
      receivedAt,
    };
  }
}

/** A port on 127.0.0.1 that nothing listens on (connections to it are refused). */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}
