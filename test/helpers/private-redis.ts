import path from 'node:path';
import { localServices, RestartableService, type ServiceHandle } from './restartable-service.js';

/**
 * A redis-server of the test's own, which the test may stop and start again
 * (Redis outages). The suite's shared Redis (TEST_REDIS_URL) is never stopped.
 * In-memory only: a restart comes back empty, like a Redis that lost its data.
 */
export class PrivateRedis extends RestartableService {
  static async start(): Promise<PrivateRedis> {
    const { port, root } = await RestartableService.allocate('redis');
    const redis = new PrivateRedis(port, root);
    await redis.up();
    return redis;
  }

  /** `redis://127.0.0.1:PORT`, stable across down()/up(). */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  protected launch(): Promise<ServiceHandle> {
    return localServices.ensureRedis({
      port: this.port,
      ignoreEnv: true,
      dataDir: this.root,
      logPath: path.join(this.root, 'redis.log'),
      record: false,
    });
  }
}

/** The suite's shared Redis (started by test/setup/global-setup.cjs). */
export function sharedRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through jest (globalSetup starts Redis)');
  return url;
}

/** A key prefix of the test file's own, so files sharing the suite's Redis never see each other's keys. */
export function uniqueKeyPrefix(label: string): string {
  return `test-${label}-${process.pid}-${Date.now().toString(36)}`;
}
