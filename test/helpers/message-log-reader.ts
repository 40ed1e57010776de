import { createConnection, Types, type Connection } from 'mongoose';

/** A message_logs row as stored (read raw, not through the app's code). */
export interface StoredMessageLog {
  channel: string;
  to: string | string[];
  status: string;
  provider: string;
  messageId?: string;
  requestedBy?: string;
  tenant?: string;
  /** The X-Request-Id of the request that sent it. */
  requestId?: string;
  error?: { code: string; message: string; providerCode?: string };
  /** Every provider tried (see MessageLogAttempt). */
  attempts?: { provider: string; at: Date; outcome: string; error?: { code: string; message: string; providerCode?: string } }[];
  sendAt?: Date;
  /** Email attachments: name, type and size (never the content). */
  attachments?: { filename: string; contentType?: string; size: number }[];
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Reads the message log straight from the test database with mongoose, so
 * tests check what was stored rather than what the app says it stored.
 */
export class MessageLogReader {
  private constructor(private readonly connection: Connection) {}

  static async open(uri: string): Promise<MessageLogReader> {
    const connection = await createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise();
    return new MessageLogReader(connection);
  }

  /** Rows requested by one token subject, oldest first. */
  async byRequester(requestedBy: string): Promise<StoredMessageLog[]> {
    return this.connection
      .collection<StoredMessageLog>('message_logs')
      .find({ requestedBy }, { projection: { _id: 0 } })
      .sort({ createdAt: 1 })
      .toArray();
  }

  /** The row with this `_id` (24 hex digits), or null. */
  async byId(id: string): Promise<StoredMessageLog | null> {
    return this.connection
      .collection<StoredMessageLog>('message_logs')
      .findOne({ _id: new Types.ObjectId(id) } as Record<string, unknown>, { projection: { _id: 0 } });
  }

  /** Polls the row until `done(row)` holds (or throws after `timeoutMs`); resolves with it. */
  async waitFor(id: string, done: (row: StoredMessageLog) => boolean, timeoutMs = 15_000): Promise<StoredMessageLog> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.byId(id);
      if (row && done(row)) return row;
      if (Date.now() > deadline) throw new Error(`log row ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(row)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Number of rows of a channel. */
  async count(filter: Record<string, string> = {}): Promise<number> {
    return this.connection.collection('message_logs').countDocuments(filter);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
