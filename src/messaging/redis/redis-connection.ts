import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DEFAULT_REDIS_KEY_PREFIX, type RedisOptions } from '../messaging-options.interface.js';
import { createRedisClient, describeRedisTarget, type RedisClient } from './redis-clients.js';
import { RedisOutageLog, type OutageLogger } from './redis-outage-log.js';

/**
 * Fail-fast client settings: the throttle check runs on every request, so a
 * dead or hung Redis must cost a request at most REDIS_COMMAND_TIMEOUT_MS,
 * and usually nothing (while the client is not connected, commands are
 * refused at once and the caller falls back to in-process counting).
 */
/** Gives up on a TCP connect + handshake after this long, then retries in the background. */
export const REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** A command without an answer after this long fails (a hung Redis, a saturated network). */
export const REDIS_COMMAND_TIMEOUT_MS = 500;
/** Reconnection attempts back off up to this delay, so recovery is noticed within about a second. */
export const REDIS_RECONNECT_MAX_DELAY_MS = 1_000;

/**
 * The module's connection to Redis for shared rate limits and the Redis
 * health check. One per MessagingModule instance, closed when the app shuts
 * down. It never throws at startup: a Redis that is down when the app boots
 * is an outage like any other (logged once, reconnected in the background).
 */
export class RedisConnection implements OnApplicationShutdown {
  readonly client: RedisClient;
  readonly keyPrefix: string;
  /** `redis://host:port/db`, the Sentinels or the cluster nodes, without credentials. */
  readonly target: string;
  readonly outage: RedisOutageLog;
  private closed = false;

  constructor(options: RedisOptions, logger: OutageLogger = new Logger('Redis')) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
    this.target = describeRedisTarget(options);
    this.outage = new RedisOutageLog(
      logger,
      this.target,
      'rate limits are shared across instances',
      'rate limits are counted by each instance alone',
    );
    this.client = createRedisClient(options, {
      connectionName: `${this.keyPrefix}:throttle`,
      connectTimeout: REDIS_CONNECT_TIMEOUT_MS,
      commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
      // No queueing while disconnected: refuse at once so the caller falls back.
      enableOfflineQueue: false,
      // Commands caught by a dropped connection fail now instead of being replayed later
      // (a throttle hit replayed seconds later would count twice).
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, REDIS_RECONNECT_MAX_DELAY_MS),
    });
    // A listener is required: without one ioredis prints every failed reconnection.
    this.client.on('error', (error: Error) => {
      if (!this.closed) this.outage.failed(error);
    });
    // A server that shuts down cleanly closes the socket without an error.
    this.client.on('close', () => {
      if (!this.closed) this.outage.failed(new Error('connection closed'));
    });
    this.client.on('ready', () => this.outage.connected());
  }

  /** Connected and past the ready check: commands can be sent. */
  get isReady(): boolean {
    return !this.closed && this.client.status === 'ready';
  }

  /** Redis answered a PING within the command timeout. */
  async ping(): Promise<boolean> {
    if (!this.isReady) return false;
    try {
      return (await this.client.ping()) === 'PONG';
    } catch (error) {
      this.outage.failed(error);
      return false;
    }
  }

  /**
   * Closed on application shutdown rather than module destroy: Nest runs
   * destroy hooks before the HTTP server stops, so requests still draining
   * would otherwise find the connection gone and count per instance.
   */
  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.outage.silence();
    if (this.client.status === 'ready') {
      await this.client.quit().catch(() => this.client.disconnect());
    } else {
      this.client.disconnect();
    }
  }
}
