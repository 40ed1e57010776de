import { describeRedisTarget, queuePrefixOf } from './redis-clients.js';

describe('queuePrefixOf', () => {
  it('keeps the bare prefix on one Redis and behind Sentinel, so jobs already queued are found after an upgrade', () => {
    expect(queuePrefixOf({ url: 'redis://127.0.0.1:6379' })).toBe('fluxkit');
    expect(queuePrefixOf({ url: 'redis://127.0.0.1:6379', keyPrefix: 'eu' })).toBe('eu');
    expect(queuePrefixOf({ sentinel: { sentinels: [{ host: 's', port: 26379 }], name: 'm' }, keyPrefix: 'eu' })).toBe('eu');
  });

  it('makes the prefix a hash tag on a cluster, so every key of a queue is in one slot', () => {
    expect(queuePrefixOf({ cluster: { nodes: [{ host: 'a', port: 7000 }] } })).toBe('{fluxkit}');
    expect(queuePrefixOf({ cluster: { nodes: [{ host: 'a', port: 7000 }] }, keyPrefix: 'eu' })).toBe('{eu}');
  });
});

describe('describeRedisTarget', () => {
  it('names where Redis is without a credential', () => {
    expect(describeRedisTarget({ url: 'redis://user:hunter2@r.example.com:6380/1' })).not.toContain('hunter2');
    expect(describeRedisTarget({ cluster: { nodes: [{ host: 'a', port: 7000 }, { host: 'b', port: 7001 }], password: 'hunter2' } })).toBe(
      'redis-cluster://a:7000,b:7001',
    );
    expect(describeRedisTarget({ sentinel: { sentinels: [{ host: 's', port: 26379 }], name: 'main', sentinelPassword: 'hunter2' } })).toBe(
      'redis-sentinel://s:26379/main',
    );
  });
});
