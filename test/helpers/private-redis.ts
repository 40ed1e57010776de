import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What scripts/local-services.cjs answers for a started Redis. */
interface RedisHandle {
  url: string;
  port: number;
  pid?: number;
  started: boolean;
}

interface LocalServices {
  findFreePort(): Promise<number>;
  ensureRedis(options: Record<string, unknown>): Promise<RedisHandle>;
  stopStarted(handles: RedisHandle[]): Promise<string[]>;
}

const services = createRequire(import.meta.url)('../../scripts/local-services.cjs') as LocalServices;

/**
 * A redis-server of the test's own, which the test may stop and start again
 * (Redis outages). The suite's shared Redis (TEST_REDIS_URL) is never stopped.
 * In-memory only: a restart comes back empty, like a Redis that lost its data.
 */
export class PrivateRedis {
  private handle?: RedisHandle;

  private constructor(
    private readonly port: number,
    private readonly root: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const root = mkdtempSync(path.join(tmpdir(), 'fluxkit-private-redis-'));
    const redis = new PrivateRedis(await services.findFreePort(), root);
    await redis.up();
    return redis;
  }

  /** `redis://127.0.0.1:PORT`, stable across down()/up(). */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (or restarts, on the same port) the server. */
  async up(): Promise<void> {
    this.handle = await services.ensureRedis({
      port: this.port,
      ignoreEnv: true,
      dataDir: this.root,
      logPath: path.join(this.root, 'redis.log'),
      record: false,
    });
    if (!this.handle.started) throw new Error(`port ${this.port} was already in use`);
  }

  /** Stops the server: connections drop, new ones are refused. */
  async down(): Promise<void> {
    if (this.handle) await services.stopStarted([this.handle]);
    this.handle = undefined;
  }

  async destroy(): Promise<void> {
    await this.down();
    rmSync(this.root, { recursive: true, force: true });
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
