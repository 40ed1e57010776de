/**
 * Redis Sentinel and Cluster addresses, as the environment (`host:port,host:port`) and the module
 * options (`[{ host, port }]`) give them. Shared by src/config and the options validation.
 */

/** What an entry must look like; shown in errors, which never echo the entry itself. */
export const REDIS_NODE_RULE = 'host:port (a hostname, an IPv4 address or [IPv6], and a port from 1 to 65535)';

const HOST = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,252}))$/;

function isPort(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535;
}

/** One `host:port`; undefined when it is not one (an IPv6 host is written in brackets). */
export function parseRedisNode(entry: string): { host: string; port: number } | undefined {
  const at = entry.lastIndexOf(':');
  if (at <= 0) return undefined;
  const host = entry.slice(0, at);
  const port = /^\d{1,5}$/.test(entry.slice(at + 1)) ? Number(entry.slice(at + 1)) : NaN;
  if (!HOST.test(host) || !isPort(port)) return undefined;
  return { host: host.replace(/^\[(.*)\]$/, '$1'), port };
}

/** Why `value` is not a non-empty list of `{ host, port }`, naming the first bad entry by its place. */
export function redisNodesProblem(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return 'must be a non-empty array of { host, port }';
  const bad = value.findIndex((node: unknown) => {
    if (typeof node !== 'object' || node === null) return true;
    const { host, port } = node as Record<string, unknown>;
    return typeof host !== 'string' || host.trim() === '' || !isPort(port);
  });
  return bad < 0 ? undefined : `[${bad}] must be { host: a non-empty string, port: an integer from 1 to 65535 }`;
}
