import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { createConnection, type Connection } from 'mongoose';

/** An idempotency_keys record as stored (read raw, not through the app's code). */
export interface StoredIdempotencyRecord {
  _id: string;
  owner: string;
  fingerprint: string;
  state: 'in_progress' | 'completed';
  response?: { status: number; body: string; headers?: Record<string, string> };
  createdAt: Date;
  expiresAt: Date;
}

/** The record id the API derives from a token subject and a key: sha256(subject, NUL, key). */
export function recordId(subject: string, key: string): string {
  return createHash('sha256').update(`${subject}\0${key}`).digest('hex');
}

/** Reads and rewrites idempotency_keys straight in the test database, to check and stage what is stored. */
export class IdempotencyRecords {
  private constructor(private readonly connection: Connection) {}

  static async open(uri: string): Promise<IdempotencyRecords> {
    return new IdempotencyRecords(await createConnection(uri, { serverSelectionTimeoutMS: 10_000 }).asPromise());
  }

  private get collection() {
    return this.connection.collection<StoredIdempotencyRecord>('idempotency_keys');
  }

  find(subject: string, key: string): Promise<StoredIdempotencyRecord | null> {
    return this.collection.findOne({ _id: recordId(subject, key) });
  }

  async update(subject: string, key: string, set: Partial<StoredIdempotencyRecord>, unset: Array<keyof StoredIdempotencyRecord> = []): Promise<void> {
    const $unset: Partial<Record<keyof StoredIdempotencyRecord, ''>> = Object.fromEntries(unset.map((field) => [field, '']));
    const update = unset.length > 0 ? { $set: set, $unset } : { $set: set };
    const result = await this.collection.updateOne({ _id: recordId(subject, key) }, update);
    if (result.matchedCount !== 1) throw new Error(`no idempotency record for ${subject}/${key}`);
  }

  async indexNames(): Promise<string[]> {
    return (await this.collection.indexes()).map((index) => String(index.name));
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}

/**
 * POST with headers exactly as given, a repeated name sent as separate
 * header lines (fetch would join them into one), for what fetch cannot send.
 */
export function rawPost(
  url: string,
  headers: Array<[string, string]>,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = JSON.stringify(body);
  const target = new URL(url);
  // Raw header lists get no automatic Host header, which Node's server requires.
  const lines: string[] = ['host', target.host];
  for (const [name, value] of [...headers, ['content-type', 'application/json'], ['content-length', String(Buffer.byteLength(payload))]]) {
    lines.push(name, value);
  }
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: lines }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
