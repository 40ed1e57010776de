import type { Readable } from 'node:stream';
import type { SMTPPoolSentMessageInfo, Transporter } from 'nodemailer';

/** One attempt being watched: the message streams nodemailer opened for it. */
interface Watched {
  streams: Readable[];
}

/** What an attempt learns from its watch. */
export interface HandoverWatch {
  /** True once the whole message was read off its stream into the SMTP connection. */
  handedOver(): boolean;
  /** Stops watching (call when the attempt settles). */
  end(): void;
}

/**
 * Tells, per attempt, whether the whole message went to the SMTP server.
 *
 * nodemailer reads the message stream only after the server accepted DATA
 * (354), and writes the final "." only after the stream ended; a server
 * delivers nothing before that ".". So a failure with no reply (a timeout, a
 * lost connection) left the message undelivered if the stream had not ended,
 * and possibly delivered if it had. That decides whether another relay may
 * be tried (smtpFailoverKind).
 *
 * How: a `stream` plugin of the transport (it runs for every mail, after the
 * message is compiled, before the pool sends it) wraps that one message's
 * createReadStream to keep the streams it opens. Mails are told apart by
 * their Message-ID, which is unique per send, and one send's attempts run
 * one after another.
 */
export class SmtpHandovers {
  private readonly watched = new Map<string, Watched>();

  /** Installs the plugin on the transport; once, when the provider is built. */
  install(transport: Transporter<SMTPPoolSentMessageInfo>): void {
    transport.use('stream', (mail, done) => {
      const messageId = mail.data.messageId;
      const watched = messageId === undefined ? undefined : this.watched.get(messageId);
      if (watched) {
        const message = mail.message;
        const open = message.createReadStream.bind(message);
        message.createReadStream = (...args: Parameters<typeof open>) => {
          const stream = open(...args);
          watched.streams.push(stream);
          return stream;
        };
      }
      done();
    });
  }

  /** Starts watching the attempt that sends `messageId`. */
  watch(messageId: string): HandoverWatch {
    const watched: Watched = { streams: [] };
    this.watched.set(messageId, watched);
    return {
      handedOver: () => watched.streams.some((stream) => stream.readableEnded),
      end: () => {
        if (this.watched.get(messageId) === watched) this.watched.delete(messageId);
      },
    };
  }
}
