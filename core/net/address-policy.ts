// Which addresses the hub may open a connection to on a client's or the registry's behalf.
// Everything that is not the public internet is refused: loopback, private (RFC 1918,
// ULA), CGNAT, link-local (where cloud metadata services answer), multicast, reserved and
// documentation ranges, and the IPv6 forms that embed an IPv4 address (NAT64, 6to4,
// Teredo). IPv4-mapped IPv6 (::ffff:a.b.c.d) is judged by its IPv4 address (BlockList
// does that itself). An allow-list from the config opens ranges again for tests and labs.
import { BlockList, isIP } from 'node:net';

const REFUSED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // CGNAT (RFC 6598; 100.100.100.200 is a cloud metadata address)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (169.254.169.254: cloud metadata)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments (192.0.0.192: a cloud metadata address)
  ['192.0.2.0', 24], // TEST-NET-1
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // TEST-NET-2
  ['203.0.113.0', 24], // TEST-NET-3
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const REFUSED_V6: readonly [string, number][] = [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated), embeds an IPv4 address
  ['64:ff9b::', 96], // NAT64: embeds an IPv4 address
  ['64:ff9b:1::', 48], // local-use NAT64
  ['100::', 64], // discard-only
  ['2001::', 32], // Teredo: embeds an IPv4 address
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['fc00::', 7], // unique local (fd00:ec2::254: a cloud metadata address)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
];

export interface AddressPolicy {
  /** Why the address may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined;
}

function familyOf(address: string): 'ipv4' | 'ipv6' {
  const family = isIP(address);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  return family === 4 ? 'ipv4' : 'ipv6';
}

/** `a.b.c.d`, `a.b.c.d/n`, `::1`, `fd00::/8`: the config's allow-list entries. */
export function parseRange(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const [address = '', bits] = entry.trim().split('/');
  const family = familyOf(address);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) throw new Error(`not an address range: ${entry}`);
  return { address, prefix, family };
}

export function makeAddressPolicy(allow: readonly string[] = []): AddressPolicy {
  const refused = new BlockList();
  for (const [address, prefix] of REFUSED_V4) refused.addSubnet(address, prefix, 'ipv4');
  for (const [address, prefix] of REFUSED_V6) refused.addSubnet(address, prefix, 'ipv6');
  const allowed = new BlockList();
  for (const entry of allow) {
    const range = parseRange(entry);
    allowed.addSubnet(range.address, range.prefix, range.family);
  }
  return {
    refusal(address) {
      const family = familyOf(address);
      if (allowed.check(address, family)) return undefined;
      if (refused.check(address, family)) return 'a loopback, private, link-local, multicast or reserved address';
      return undefined;
    },
  };
}
