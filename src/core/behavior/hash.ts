/**
 * Small, fast, deterministic hashes for bounded state: action ids, certificate fingerprints and user agents are kept
 * as 53-bit (ids) or 32-bit (others) hashes instead of strings, which keeps the per-agent item small. These are not
 * security primitives: a collision only makes the engine treat two values as one (documented in docs/behavior.md).
 */

/** cyrb53 (public domain): a 53-bit string hash, exact in a double. */
export function hash53(text: string, seed = 0): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

export function hash32(text: string): number {
  return hash53(text) % 4294967296;
}

/**
 * The network an address belongs to, as behaviour sees it: the /24 of an IPv4 address, the /48 of an IPv6 address.
 * Anything else (a hostname, a malformed value) is kept as given, truncated, so it still compares equal to itself.
 */
export function networkPrefix(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const groups = expandIpv6(ip);
    if (groups) return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return ip.slice(0, 64);
}

function expandIpv6(ip: string): string[] | undefined {
  const bare = ip.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (!/^[0-9a-fA-F:.]+$/.test(bare)) return undefined;
  const [head = '', tail] = bare.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? left.length !== 8 : missing < 1) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  return groups.map((g) => (Number.parseInt(g, 16) || 0).toString(16));
}
