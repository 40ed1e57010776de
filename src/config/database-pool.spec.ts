import { DEFAULT_MONGODB_MAX_POOL_SIZE } from './database-pool.js';
import { ConfigError, loadConfig } from './environment.js';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/messaging', JWT_SECRET: 'x'.repeat(32) };

describe('MONGODB_MAX_POOL_SIZE', () => {
  it('defaults to 20, under the 50 concurrent updates that can deadlock FerretDB 1.24 on SQLite', () => {
    expect(loadConfig(base).mongodbMaxPoolSize).toBe(DEFAULT_MONGODB_MAX_POOL_SIZE);
    expect(DEFAULT_MONGODB_MAX_POOL_SIZE).toBeLessThan(50);
  });

  it('takes an integer from 1 to 1000', () => {
    expect(loadConfig({ ...base, MONGODB_MAX_POOL_SIZE: '100' }).mongodbMaxPoolSize).toBe(100);
    for (const bad of ['0', '1001', 'ten', '2.5']) {
      expect(() => loadConfig({ ...base, MONGODB_MAX_POOL_SIZE: bad })).toThrow(ConfigError);
    }
  });
});
