import { Redis } from 'ioredis';
import { RedisNodeProcess } from './redis-node.js';

const SYNC_TIMEOUT_MS = 20_000;

/**
 * A Sentinel setup of the spec's own on loopback: one primary, one replica and three Sentinels (quorum 2)
 * watching it under `name`. The Sentinels call the primary down after 1 s without an answer (the default
 * 30 s would make a failover test slow) and promote the replica. Torn down by destroy().
 */
export class LocalRedisSentinel {
  private constructor(
    readonly name: string,
    readonly primary: RedisNodeProcess,
    readonly replica: RedisNodeProcess,
    readonly sentinels: RedisNodeProcess[],
  ) {}

  static async start(name = 'fluxkit-test'): Promise<LocalRedisSentinel> {
    const started: RedisNodeProcess[] = [];
    try {
      const primary = await RedisNodeProcess.start();
      started.push(primary);
      const replica = await RedisNodeProcess.start({ extraArgs: ['--replicaof', primary.host, String(primary.portNumber)] });
      started.push(replica);
      await untilReplicating(replica);
      const sentinelConfig = [
        `sentinel monitor ${name} ${primary.host} ${primary.portNumber} 2`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
      ];
      const sentinels: RedisNodeProcess[] = [];
      for (let i = 0; i < 3; i++) {
        const sentinel = await RedisNodeProcess.start({ sentinelConfig });
        started.push(sentinel);
        sentinels.push(sentinel);
      }
      const setup = new LocalRedisSentinel(name, primary, replica, sentinels);
      await setup.untilSentinelsAgree(primary.portNumber);
      return setup;
    } catch (error) {
      await Promise.all(started.map((node) => node.destroy()));
      throw error;
    }
  }

  /** REDIS_SENTINELS and REDIS_SENTINEL_NAME of this setup. */
  env(): Record<string, string> {
    return { REDIS_SENTINELS: this.sentinels.map((s) => s.address).join(','), REDIS_SENTINEL_NAME: this.name };
  }

  /** The port of the primary the Sentinels announce now. */
  async primaryPort(): Promise<number> {
    const sentinel = this.sentinels[0];
    if (!sentinel) throw new Error('no Sentinel');
    const client = new Redis(sentinel.portNumber, sentinel.host);
    try {
      const [, port] = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name)) as [string, string];
      return Number(port);
    } finally {
      client.disconnect();
    }
  }

  /** Resolves once every Sentinel announces the primary on `port` (bounded). */
  async untilSentinelsAgree(port: number, timeoutMs = SYNC_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const clients = this.sentinels.map((s) => new Redis(s.portNumber, s.host));
    try {
      while (Date.now() < deadline) {
        const answers = await Promise.all(
          clients.map((client) => client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', this.name) as Promise<[string, string] | null>),
        );
        if (answers.every((answer) => Number(answer?.[1]) === port)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`the Sentinels did not all announce the primary on port ${port} within ${timeoutMs} ms`);
    } finally {
      clients.forEach((client) => client.disconnect());
    }
  }

  async destroy(): Promise<void> {
    await Promise.all([this.primary, this.replica, ...this.sentinels].map((node) => node.destroy()));
  }
}

/** The replica has synced with its primary (master_link_status:up). */
async function untilReplicating(replica: RedisNodeProcess): Promise<void> {
  const client = new Redis(replica.portNumber, replica.host);
  try {
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if ((await client.info('replication')).includes('master_link_status:up')) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the replica did not sync within ${SYNC_TIMEOUT_MS} ms`);
  } finally {
    client.disconnect();
  }
}
