import type { RedisNode, RedisOptions } from '../messaging/messaging-options.interface.js';
import { isRedisUrl } from '../messaging/messaging-options.rules.js';
import { parseRedisNode, REDIS_NODE_RULE } from '../messaging/common/redis-nodes.js';
import { ConfigError } from './config-error.js';

type Read = (name: string) => string | undefined;

const KEY_PREFIX = /^[A-Za-z0-9._-]{1,64}$/;
/** The three ways to say where Redis is; a deployment names exactly one. */
const DEPLOYMENT_VARIABLES = ['REDIS_URL', 'REDIS_SENTINELS', 'REDIS_CLUSTER_NODES'] as const;

/**
 * The `redis` option from the environment: one Redis (REDIS_URL), a primary
 * behind Sentinel (REDIS_SENTINELS + REDIS_SENTINEL_NAME) or a Redis Cluster
 * (REDIS_CLUSTER_NODES); undefined when none is set. Every variable is read
 * up front, so a setting that belongs to another deployment (or to none) is
 * refused at startup instead of silently ignored. Errors name the variable
 * and an entry's place, never a value (REDIS_URL may hold a password).
 */
export function redisFromEnv(read: Read): RedisOptions | undefined {
  const url = read('REDIS_URL');
  const sentinels = nodes(read, 'REDIS_SENTINELS');
  const sentinelName = read('REDIS_SENTINEL_NAME');
  const sentinelPassword = read('REDIS_SENTINEL_PASSWORD');
  const clusterNodes = nodes(read, 'REDIS_CLUSTER_NODES');
  const username = read('REDIS_USERNAME');
  const password = read('REDIS_PASSWORD');
  const rawPrefix = read('REDIS_KEY_PREFIX');

  const given = DEPLOYMENT_VARIABLES.filter((name) => read(name) !== undefined);
  if (given.length > 1) throw new ConfigError(given[1] ?? '', `cannot be combined with ${given[0] ?? ''}: set one of ${DEPLOYMENT_VARIABLES.join(', ')}`);
  if (!sentinels && (sentinelName !== undefined || sentinelPassword !== undefined)) {
    throw new ConfigError(sentinelName !== undefined ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINEL_PASSWORD', 'requires REDIS_SENTINELS');
  }
  const credentialVariable = username !== undefined ? 'REDIS_USERNAME' : 'REDIS_PASSWORD';
  if ((username !== undefined || password !== undefined) && !sentinels && !clusterNodes) {
    const hint = url !== undefined ? 'with REDIS_URL the credentials go in the URL' : 'requires REDIS_SENTINELS or REDIS_CLUSTER_NODES';
    throw new ConfigError(credentialVariable, hint);
  }
  if (rawPrefix !== undefined && !KEY_PREFIX.test(rawPrefix)) {
    throw new ConfigError('REDIS_KEY_PREFIX', 'must be 1 to 64 letters, digits, ".", "_" or "-"');
  }
  const keyPrefix = rawPrefix !== undefined ? { keyPrefix: rawPrefix } : {};
  const credentials = { ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}) };

  if (url !== undefined) {
    if (!isRedisUrl(url)) throw new ConfigError('REDIS_URL', 'must be a redis:// or rediss:// URL');
    return { url, ...keyPrefix };
  }
  if (sentinels) {
    if (sentinelName === undefined) throw new ConfigError('REDIS_SENTINEL_NAME', 'is required with REDIS_SENTINELS (the monitored primary\'s name)');
    const sentinel = { sentinels, name: sentinelName, ...(sentinelPassword !== undefined ? { sentinelPassword } : {}), ...credentials };
    return { sentinel, ...keyPrefix };
  }
  if (clusterNodes) return { cluster: { nodes: clusterNodes, ...credentials }, ...keyPrefix };
  return undefined;
}

/** A comma-separated `host:port` list; undefined when the variable is unset. */
function nodes(read: Read, name: string): RedisNode[] | undefined {
  const raw = read(name);
  if (raw === undefined) return undefined;
  return raw.split(',').map((entry, index) => {
    const node = parseRedisNode(entry.trim());
    if (!node) throw new ConfigError(name, `entry ${index + 1} must be ${REDIS_NODE_RULE}`);
    return node;
  });
}
