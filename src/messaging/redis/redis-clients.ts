import type { ConnectionOptions, RedisOptions as BullMqRedisOptions } from 'bullmq';
import type { Cluster, Redis, RedisOptions as IoRedisOptions } from 'ioredis';
import { DEFAULT_REDIS_KEY_PREFIX, type RedisNode, type RedisOptions } from '../messaging-options.interface.js';
import { describeRedisUrl } from './redis-outage-log.js';
import { ioredis } from './redis-packages.js';

/** A connection to one Redis (directly or through Sentinel) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * How one of the module's clients behaves, whatever the deployment (one
 * Redis, Sentinel, Cluster): each user picks its own fail-fast or
 * wait-it-out settings, the factory maps them onto ioredis' options.
 */
export interface RedisClientTuning {
  connectionName: string;
  /** Reconnection delay after `attempt` failed tries (also the cluster's own retry strategy). */
  retryStrategy: (attempt: number) => number;
  /** null: a command waits out a disconnection (what BullMQ requires of a worker). */
  maxRetriesPerRequest: number | null;
  enableOfflineQueue?: boolean;
  connectTimeout?: number;
  commandTimeout?: number;
  autoResendUnfulfilledCommands?: boolean;
}

/** The node options every deployment shares (ioredis' per-connection settings). */
function nodeOptions(tuning: RedisClientTuning): IoRedisOptions {
  const { connectionName, maxRetriesPerRequest, connectTimeout, commandTimeout, autoResendUnfulfilledCommands } = tuning;
  return {
    connectionName,
    maxRetriesPerRequest,
    ...(connectTimeout !== undefined ? { connectTimeout } : {}),
    ...(commandTimeout !== undefined ? { commandTimeout } : {}),
    ...(autoResendUnfulfilledCommands !== undefined ? { autoResendUnfulfilledCommands } : {}),
  };
}

function credentials(source: { username?: string; password?: string }): IoRedisOptions {
  return {
    ...(source.username !== undefined ? { username: source.username } : {}),
    ...(source.password !== undefined ? { password: source.password } : {}),
  };
}

/** ioredis' options of a standalone or Sentinel client (the form BullMQ also takes to build its own). */
function standaloneOptions(redis: RedisOptions, tuning: RedisClientTuning): IoRedisOptions {
  const shared: IoRedisOptions = {
    ...nodeOptions(tuning),
    retryStrategy: tuning.retryStrategy,
    ...(tuning.enableOfflineQueue !== undefined ? { enableOfflineQueue: tuning.enableOfflineQueue } : {}),
  };
  const sentinel = redis.sentinel;
  if (!sentinel) return shared;
  return {
    ...shared,
    ...credentials(sentinel),
    sentinels: sentinel.sentinels.map(({ host, port }) => ({ host, port })),
    name: sentinel.name,
    ...(sentinel.sentinelPassword !== undefined ? { sentinelPassword: sentinel.sentinelPassword } : {}),
    // No failoverDetector: its disconnect, arriving while the client is already reconnecting after the
    // primary died, can leave the client ended for good (seen in test/redis-sentinel.e2e-spec.ts); a dead
    // primary drops the connection anyway, and each reconnection asks the Sentinels again.
    sentinelRetryStrategy: tuning.retryStrategy,
  };
}

/** A client on the configured deployment (nothing is sent until it is ready; see the tuning). */
export function createRedisClient(redis: RedisOptions, tuning: RedisClientTuning): RedisClient {
  const { Redis: RedisClass, Cluster: ClusterClass } = ioredis();
  if (redis.cluster) {
    return new ClusterClass(redis.cluster.nodes.map(({ host, port }) => ({ host, port })), {
      clusterRetryStrategy: tuning.retryStrategy,
      ...(tuning.enableOfflineQueue !== undefined ? { enableOfflineQueue: tuning.enableOfflineQueue } : {}),
      redisOptions: { ...nodeOptions(tuning), ...credentials(redis.cluster) },
    });
  }
  if (redis.sentinel) return new RedisClass(standaloneOptions(redis, tuning));
  return new RedisClass(redis.url ?? '', standaloneOptions(redis, tuning));
}

/**
 * What a BullMQ Worker is given. Options for one Redis or Sentinel (BullMQ
 * builds and closes its connections from them); for a cluster, a client that
 * BullMQ duplicates (it cannot build a Cluster from options), which the
 * caller closes after the worker (`template`).
 */
export function workerConnectionOf(
  redis: RedisOptions,
  tuning: RedisClientTuning,
): { connection: ConnectionOptions; template?: RedisClient } {
  if (redis.cluster) {
    const template = createRedisClient(redis, tuning);
    return { connection: template, template };
  }
  // retryStrategy restated: ioredis' type allows null, BullMQ's does not.
  const options: BullMqRedisOptions = { ...standaloneOptions(redis, tuning), retryStrategy: tuning.retryStrategy };
  // BullMQ takes `url` beside the options and builds the client from both.
  return { connection: redis.sentinel ? options : { url: redis.url, ...options } };
}

/**
 * The BullMQ prefix of the module's queues. On a cluster it is the hash tag
 * `{keyPrefix}`, so every key of a queue lands in one slot (BullMQ's scripts
 * touch several keys at once). One Redis and Sentinel keep the bare prefix,
 * so existing deployments find the jobs they already hold.
 */
export function queuePrefixOf(redis: RedisOptions): string {
  const prefix = redis.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  return redis.cluster ? `{${prefix}}` : prefix;
}

/** Where the module's Redis is, for log lines (`redis-cluster://h:p,h:p`, `redis-sentinel://h:p/name`): never a credential. */
export function describeRedisTarget(redis: RedisOptions): string {
  const list = (nodes: RedisNode[]) => nodes.map(({ host, port }) => `${host}:${port}`).join(',');
  if (redis.cluster) return `redis-cluster://${list(redis.cluster.nodes)}`;
  if (redis.sentinel) return `redis-sentinel://${list(redis.sentinel.sentinels)}/${redis.sentinel.name}`;
  return describeRedisUrl(redis.url ?? '');
}
