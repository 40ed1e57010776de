import { Inject, Injectable } from '@nestjs/common';
import mongoose, { type Model } from 'mongoose';
import type { MessageLog } from '../logs/message-log.schema.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';

const DATABASE_PING_TIMEOUT_MS = 2_000;

/**
 * Pings the database the message logs live on (never cached: it gates every send).
 *
 * Not through Terminus' `attempt().withTimeout()`, unlike the cached provider
 * checks: run on every request, that builds an AbortController, an uncleared
 * 2 s `AbortSignal.timeout` and an AbortError per call, which halved the
 * throughput of /messaging/health under load (docs/benchmarks.md). A ping
 * cannot be aborted anyway; a plain timer that is cleared when it answers
 * bounds it the same way.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(@Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>) {}

  async isConnected(): Promise<boolean> {
    const connection = this.model.db;
    const db = connection.db;
    if (connection.readyState !== mongoose.ConnectionStates.connected || !db) return false;
    try {
      await withTimeout(db.admin().ping(), DATABASE_PING_TIMEOUT_MS);
      return true;
    } catch {
      return false;
    }
  }
}

/** Settles like `operation`, or rejects once `timeoutMs` has passed; the timer never outlives it. */
function withTimeout<T>(operation: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([operation, timeout]).finally(() => clearTimeout(timer));
}
