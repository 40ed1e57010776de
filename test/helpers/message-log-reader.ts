import { createConnection, type Connection } from 'mongoose';

/** A message_logs row as stored (read raw, not through the app's code). */
export interface StoredMessageLog {
  channel: string;
  to: string | string[];
  status: string;
  provider: string;
  messageId?: string;
  requestedBy?: string;
  error?: { code: string; message: string; providerCode?: string };
  /** Every provider tried (see MessageLogAttempt). */
  attempts?: { provider: string; at: Date; outcome: string; error?: { code: string; message: string; providerCode?: string } }[];
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

  /** Number of rows of a channel. */
  async count(filter: Record<string, string> = {}): Promise<number> {
    return this.connection.collection('message_logs').countDocuments(filter);
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
