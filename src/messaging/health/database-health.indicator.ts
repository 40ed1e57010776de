import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import mongoose, { type Model } from 'mongoose';
import type { MessageLog } from '../logs/message-log.schema.js';
import { MESSAGE_LOG_MODEL } from '../messaging.tokens.js';

const DATABASE_PING_TIMEOUT_MS = 2_000;

/** Pings the database the message logs live on (never cached: it gates every send). */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(MESSAGE_LOG_MODEL) private readonly model: Model<MessageLog>,
  ) {}

  async isConnected(): Promise<boolean> {
    const connection = this.model.db;
    const result = await this.indicators
      .check('messaging-database')
      .attempt(async () => {
        const db = connection.db;
        if (connection.readyState !== mongoose.ConnectionStates.connected || !db) throw new Error('not connected');
        await db.admin().ping();
      })
      .withTimeout(DATABASE_PING_TIMEOUT_MS);
    return Object.values(result)[0]?.status === 'up';
  }
}
