import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { localServices, RestartableService, type ServiceHandle } from './restartable-service.js';

/** How a node of a test's own Redis deployment runs (see scripts/lib/redis-service.cjs). */
export interface RedisNodeRole {
  /** Appended to redis-server's arguments, e.g. cluster mode or `--replicaof`. */
  extraArgs?: string[];
  /** A Sentinel: the config file's lines (Sentinel rewrites the file, so it is written once, at start). */
  sentinelConfig?: string[];
}

/**
 * One redis-server (or Sentinel) of a test's own cluster or Sentinel setup, on loopback, in-memory, with
 * its own folder: what PrivateRedis is for one Redis. The test may kill it (a crash) or stop it.
 */
export class RedisNodeProcess extends RestartableService {
  private constructor(
    port: number,
    root: string,
    private readonly role: RedisNodeRole,
  ) {
    super(port, root);
  }

  /** Starts a node; `port` when the caller chose it (a cluster node needs port + 10000 free too). */
  static async start(role: RedisNodeRole = {}, port?: number): Promise<RedisNodeProcess> {
    const allocated = await RestartableService.allocate(role.sentinelConfig ? 'sentinel' : 'redis-node');
    const node = new RedisNodeProcess(port ?? allocated.port, allocated.root, role);
    if (role.sentinelConfig) writeFileSync(node.sentinelFile, `${role.sentinelConfig.join('\n')}\n`);
    await node.up();
    return node;
  }

  get host(): string {
    return '127.0.0.1';
  }

  get portNumber(): number {
    return this.port;
  }

  /** `host:port`, as REDIS_SENTINELS and REDIS_CLUSTER_NODES list it. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  private get sentinelFile(): string {
    return path.join(this.root, 'sentinel.conf');
  }

  protected launch(): Promise<ServiceHandle> {
    return localServices.ensureRedis({
      port: this.port,
      ignoreEnv: true,
      dataDir: this.root,
      logPath: path.join(this.root, 'redis.log'),
      record: false,
      extraArgs: this.role.extraArgs ?? [],
      ...(this.role.sentinelConfig ? { sentinelConfig: this.sentinelFile } : {}),
    });
  }
}
