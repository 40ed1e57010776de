// The in-process announcement of a log row's status change. In common/ because the
// logs (which announce) and the webhooks and metrics (which listen) must not import
// each other's folders (docs/architecture.md).
import { Injectable, Logger } from '@nestjs/common';
import { errorMessage } from './describe-error.js';
import type { ChannelName } from './channel-names.js';
import type { MessageStatus } from './message-log-fields.js';
import type { MessageLogError } from './provider-receipt.js';

/** A row moved from `previousStatus` to `status`; the row's fields as the move left them. */
export interface StatusChange {
  /** The log row's id (24 hex digits). */
  id: string;
  /** The provider's id of the message, once it has one. */
  messageId?: string;
  channel: ChannelName;
  to: string | string[];
  status: MessageStatus;
  previousStatus: MessageStatus;
  provider?: string;
  error?: MessageLogError;
  /** When the move was made. */
  at: Date;
}

export type StatusListener = (change: StatusChange) => void | Promise<void>;

/**
 * The status moves of the message log, announced to whoever listens (the
 * webhook dispatcher; later metrics). Announcing never delays or fails the
 * move: listeners run on a later turn of the event loop, after the move's
 * caller has its answer, and a listener's error is logged (its message
 * only: listeners must not put bodies in errors) and swallowed.
 */
@Injectable()
export class StatusAnnouncements {
  private readonly logger = new Logger('StatusAnnouncements');
  private readonly listeners = new Set<StatusListener>();

  /** Adds `listener`; the function returned removes it. */
  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  announce(change: StatusChange): void {
    if (this.listeners.size === 0) return;
    setImmediate(() => {
      for (const listener of this.listeners) {
        try {
          void Promise.resolve(listener(change)).catch((error: unknown) => this.failed(change, error));
        } catch (error) {
          this.failed(change, error);
        }
      }
    });
  }

  private failed(change: StatusChange, error: unknown): void {
    this.logger.error(`A listener of message ${change.id} (${change.previousStatus} -> ${change.status}) failed: ${errorMessage(error)}`);
  }
}
