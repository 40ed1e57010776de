import { Inject, Injectable, Optional } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection.js';

export interface RedisHealth {
  status: 'connected' | 'disconnected';
}

/**
 * Pings the Redis the module shares rate limits through (never cached, like
 * the database ping: a PING costs well under a millisecond, and it is
 * bounded by the client's command timeout). Nothing to report without
 * `redis` in the options.
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(@Optional() @Inject(RedisConnection) private readonly connection: RedisConnection | null) {}

  async check(): Promise<RedisHealth | undefined> {
    if (!this.connection) return undefined;
    return { status: (await this.connection.ping()) ? 'connected' : 'disconnected' };
  }
}
