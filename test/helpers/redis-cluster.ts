import { Cluster, Redis } from 'ioredis';
import { RedisNodeProcess } from './redis-node.js';
import { localServices } from './restartable-service.js';

const SLOTS = 16_384;
const FORM_TIMEOUT_MS = 20_000;

/**
 * A Redis Cluster of the spec's own: three masters (no replicas) on loopback ports, each in-memory with
 * its own folder, torn down by destroy(). What `redis-cli --cluster create ... --cluster-yes` does is done
 * here with the cluster commands themselves (epochs, slots split in three, MEET, wait for `cluster_state:ok`),
 * so the setup needs redis-server alone: the registry build the test setup falls back to carries no redis-cli.
 */
export class LocalRedisCluster {
  private constructor(readonly nodes: RedisNodeProcess[]) {}

  static async start(masters = 3): Promise<LocalRedisCluster> {
    const nodes: RedisNodeProcess[] = [];
    try {
      for (let i = 0; i < masters; i++) {
        const port = await clusterPort(nodes.map((node) => node.portNumber));
        // A short node timeout: a node that stops answering is noticed within seconds, not 15.
        const extraArgs = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'];
        nodes.push(await RedisNodeProcess.start({ extraArgs }, port));
      }
      const cluster = new LocalRedisCluster(nodes);
      await cluster.form();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.destroy()));
      throw error;
    }
  }

  /** REDIS_CLUSTER_NODES: every node, though one would do (the client learns the rest). */
  get nodeList(): string {
    return this.nodes.map((node) => node.address).join(',');
  }

  /** A client of the whole cluster, for a spec's own checks; the caller disconnects it. */
  client(): Cluster {
    return new Cluster(this.nodes.map((node) => ({ host: node.host, port: node.portNumber })));
  }

  async destroy(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.destroy()));
  }

  private async form(): Promise<void> {
    const clients = this.nodes.map((node) => new Redis(node.portNumber, node.host));
    try {
      const share = Math.ceil(SLOTS / clients.length);
      await Promise.all(
        clients.map(async (client, i) => {
          await client.call('CLUSTER', 'SET-CONFIG-EPOCH', String(i + 1));
          const slots = [];
          for (let slot = i * share; slot < Math.min(SLOTS, (i + 1) * share); slot++) slots.push(String(slot));
          await client.call('CLUSTER', 'ADDSLOTS', ...slots);
        }),
      );
      const [first] = clients;
      for (const node of this.nodes.slice(1)) await first?.call('CLUSTER', 'MEET', node.host, String(node.portNumber));
      await untilClusterOk(clients);
    } finally {
      clients.forEach((client) => client.disconnect());
    }
  }
}

/** A free port whose cluster bus port (port + 10000) is free too. */
async function clusterPort(taken: number[]): Promise<number> {
  for (let tries = 0; tries < 50; tries++) {
    const port = await localServices.findFreePort();
    if (port + 10_000 > 65_535 || taken.includes(port) || taken.includes(port + 10_000)) continue;
    if (!(await localServices.isPortOpen(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}

/** Every node knows every other and serves all slots. */
async function untilClusterOk(clients: Redis[]): Promise<void> {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    const infos = await Promise.all(clients.map((client) => client.call('CLUSTER', 'INFO') as Promise<string>));
    const ready = infos.every(
      (info) => info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${clients.length}`),
    );
    if (ready) return;
    last = infos.join('\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the cluster did not form within ${FORM_TIMEOUT_MS} ms:\n${last}`);
}
