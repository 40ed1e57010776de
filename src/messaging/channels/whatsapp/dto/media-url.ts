import { BlockList, isIP } from 'node:net';
import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Twilio fetches `media.url` on our behalf, so a URL naming a host that is
 * not on the public internet (or carrying credentials) is refused: an
 * address literal in a loopback, private, link-local or otherwise special
 * range, `localhost` and `*.localhost`, and any userinfo (`user:pass@`).
 *
 * The WHATWG URL parser normalises odd IPv4 forms first (`127.1`,
 * `0x7f.1`, `2130706433`, `0177.0.0.1` all become `127.0.0.1`), and
 * node:net's BlockList matches IPv4-mapped IPv6 (`::ffff:127.0.0.1`)
 * against the IPv4 ranges, so no own address parsing is needed. Names that
 * merely resolve to such addresses are not looked up: that is DNS, resolved
 * by Twilio, not by us.
 */
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata endpoints
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64 of any IPv4 address
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** Why `value` is not a URL Twilio may fetch for us, or undefined (format errors are left to IsUrl). */
export function mediaUrlProblem(value: string, field: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  // `https://@host` keeps an empty userinfo the parser drops: look at the raw authority too.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(value)?.[1] ?? '';
  if (url.username !== '' || url.password !== '' || authority.includes('@')) {
    return `${field} must not contain a user name or password`;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
  const family = isIP(host);
  const special =
    family === 0 ? host === 'localhost' || host.endsWith('.localhost') : NOT_PUBLIC.check(host, family === 4 ? 'ipv4' : 'ipv6');
  return special ? `${field} must point to a public host, not a loopback, private, link-local or other special address` : undefined;
}

/** See mediaUrlProblem. */
export function IsPublicMediaUrl(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    const field = String(propertyName);
    registerDecorator({
      name: 'isPublicMediaUrl',
      target: target.constructor,
      propertyName: field,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || mediaUrlProblem(value, field) === undefined,
        defaultMessage: (args) => (typeof args?.value === 'string' ? mediaUrlProblem(args.value, field) : undefined) ?? `${field} is invalid`,
      },
    });
  };
}
