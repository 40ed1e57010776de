import mongoose from 'mongoose';

/** Collection of the Idempotency-Key records (beside `message_logs`, on the same connection). */
export const IDEMPOTENCY_COLLECTION = 'idempotency_keys';
/** Mongoose model name (and, with the connection name, its Nest token); distinctive, so a host's own models never clash. */
export const IDEMPOTENCY_MODEL_NAME = 'MessagingIdempotencyKey';
/** The model, on the connection chosen by `connectionName`. */
export const IDEMPOTENCY_MODEL = Symbol('IDEMPOTENCY_MODEL');

/** How long a key is remembered: a retry within this window replays, after it the key is new again. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export const IDEMPOTENCY_STATES = ['in_progress', 'completed'] as const;
export type IdempotencyState = (typeof IDEMPOTENCY_STATES)[number];

/** The answer given to the first request, replayed to every later one with the same key. */
export interface StoredResponse {
  status: number;
  /**
   * The JSON body as sent, as text: replayed byte for byte, and no client
   * text becomes a field name in the database (FerretDB and MongoDB refuse
   * some, e.g. `$`-prefixed ones).
   */
  body: string;
  /** Response headers that belong to the answer (e.g. Preference-Applied), lower-case names. */
  headers?: Record<string, string>;
}

/**
 * One Idempotency-Key of one token subject. `_id` is sha256(subject, NUL,
 * key): the `_id` unique index (which every MongoDB and FerretDB has, and
 * FerretDB pushes `_id` equality down to) is what makes concurrent
 * duplicates collide on insert, rather than a read-then-write race.
 */
export interface IdempotencyRecord {
  _id: string;
  /**
   * A random token of the request that inserted the record. Deletes are
   * conditional on it (release after a failure, replacement of an expired
   * record), so a late or retried delete never removes a successor's record,
   * even one created in the same millisecond (which a createdAt match could).
   */
  owner: string;
  /** sha256 of method, route and canonical body (fingerprint.ts). */
  fingerprint: string;
  state: IdempotencyState;
  /** Set when `state` is `completed`. */
  response?: StoredResponse;
  createdAt: Date;
  /** createdAt + 24 h. Checked on every read; also a TTL index where the database has them. */
  expiresAt: Date;
}

export const IdempotencyRecordSchema = new mongoose.Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    owner: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, required: true, enum: IDEMPOTENCY_STATES },
    response: {
      type: new mongoose.Schema<StoredResponse>(
        { status: { type: Number, required: true }, body: { type: String, required: true }, headers: { type: Object } },
        { _id: false },
      ),
      default: undefined,
    },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  {
    collection: IDEMPOTENCY_COLLECTION,
    versionKey: false,
    // Fail at once when the database is unreachable (503, nothing sent) instead of buffering.
    bufferCommands: false,
    // The TTL index is created at startup by IdempotencyIndexes, which warns instead of crashing
    // when the database refuses it (FerretDB 1.x has no TTL indexes).
    autoIndex: false,
  },
);
