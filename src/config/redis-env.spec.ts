import { validateMessagingOptions } from '../messaging/messaging-options.validation.js';
import { redisFromEnv } from './redis-env.js';

const reader = (env: Record<string, string>) => (name: string) => env[name];

describe('REDIS_* variables', () => {
  it('none set: no Redis', () => {
    expect(redisFromEnv(reader({}))).toBeUndefined();
  });

  it('REDIS_URL: one Redis, as before', () => {
    expect(redisFromEnv(reader({ REDIS_URL: 'redis://127.0.0.1:6380/2', REDIS_KEY_PREFIX: 'eu' }))).toEqual({
      url: 'redis://127.0.0.1:6380/2',
      keyPrefix: 'eu',
    });
  });

  it('REDIS_SENTINELS: the primary by name, with the Sentinels\' and the nodes\' credentials', () => {
    const env = {
      REDIS_SENTINELS: '10.0.0.1:26379, sentinel-2.internal:26380,[::1]:26381',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      REDIS_PASSWORD: 'node-secret',
    };
    const redis = redisFromEnv(reader(env));
    expect(redis).toEqual({
      sentinel: {
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: 'sentinel-2.internal', port: 26380 },
          { host: '::1', port: 26381 },
        ],
        name: 'mymaster',
        sentinelPassword: 'sentinel-secret',
        password: 'node-secret',
      },
    });
    expect(validateMessagingOptions({ redis }, false)).toEqual({ redis });
  });

  it('REDIS_CLUSTER_NODES: the seed nodes of a cluster', () => {
    const redis = redisFromEnv(reader({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001', REDIS_USERNAME: 'app', REDIS_PASSWORD: 'p' }));
    expect(redis).toEqual({
      cluster: { nodes: [{ host: '127.0.0.1', port: 7000 }, { host: '127.0.0.1', port: 7001 }], username: 'app', password: 'p' },
    });
    expect(validateMessagingOptions({ redis }, false)).toEqual({ redis });
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINELS: 'b:26379', REDIS_SENTINEL_NAME: 'm' }, 'REDIS_CLUSTER_NODES cannot be combined with REDIS_SENTINELS'],
    [{ REDIS_URL: 'redis://a:6379', REDIS_CLUSTER_NODES: 'a:7000' }, 'REDIS_CLUSTER_NODES cannot be combined with REDIS_URL'],
    [{ REDIS_SENTINELS: 'b:26379' }, 'REDIS_SENTINEL_NAME is required with REDIS_SENTINELS'],
    [{ REDIS_SENTINEL_NAME: 'm' }, 'REDIS_SENTINEL_NAME requires REDIS_SENTINELS'],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_SENTINEL_PASSWORD: 'x' }, 'REDIS_SENTINEL_PASSWORD requires REDIS_SENTINELS'],
    [{ REDIS_URL: 'redis://a:6379', REDIS_PASSWORD: 'hunter2' }, 'REDIS_PASSWORD with REDIS_URL the credentials go in the URL'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,hunter2@b' }, 'REDIS_CLUSTER_NODES entry 2 must be host:port'],
    [{ REDIS_CLUSTER_NODES: 'a:70000' }, 'REDIS_CLUSTER_NODES entry 1 must be host:port'],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_KEY_PREFIX: '{x}' }, 'REDIS_KEY_PREFIX must be 1 to 64 letters'],
  ])('%j is refused: %s', (env, message) => {
    expect(() => redisFromEnv(reader(env))).toThrow(message);
    expect(() => redisFromEnv(reader(env))).not.toThrow(/hunter2/);
  });
});
