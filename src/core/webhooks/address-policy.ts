/**
 * Which webhook destinations are refused (docs/api.md §5, "Webhook URLs"). Deployed, a webhook must be https and
 * every address its host resolves to must be public: a tenant must not be able to make the service call its own
 * metadata endpoint (169.254.169.254), a VPC-internal host or localhost. The check runs at creation AND at every
 * connection (the transport validates the address it actually connects to), so a name that later resolves to a
 * private address (DNS rebinding) is refused too. Local mode allows http to loopback only, for a receiver on the
 * developer's machine.
 */
import { isIP } from 'node:net';
import { invalidRequest } from '../errors.js';

export interface UrlPolicy {
  /** Local mode: `http:` is accepted for loopback hosts, and loopback addresses are allowed. */
  allowLoopbackHttp: boolean;
}

const MAX_URL_LENGTH = 2048;

/** Parses and checks the URL's form; the host's addresses are checked separately (they need DNS). */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    if (raw.length > MAX_URL_LENGTH) throw new Error('too long');
    url = new URL(raw);
  } catch {
    throw invalidRequest('url must be an absolute URL of at most 2048 characters', 'url');
  }
  if (url.username !== '' || url.password !== '') throw invalidRequest('url must not carry credentials', 'url');
  const host = bareHost(url);
  const loopbackHost = host === 'localhost' || (isIP(host) !== 0 && isLoopbackAddress(host));
  if (url.protocol === 'https:') {
    // fall through to the literal-address check
  } else if (url.protocol === 'http:' && policy.allowLoopbackHttp && loopbackHost) {
    return url;
  } else {
    throw invalidRequest(
      policy.allowLoopbackHttp ? 'url must be https (or http to loopback)' : 'url must be https',
      'url',
    );
  }
  if (isIP(host) !== 0 && !isAllowedAddress(host, policy)) {
    throw invalidRequest('url must not point at a private, loopback or link-local address', 'url');
  }
  if (isLocalhostName(host) && !policy.allowLoopbackHttp) {
    throw invalidRequest('url must not point at a private, loopback or link-local address', 'url');
  }
  return url;
}

/**
 * `localhost` and every name under it are loopback (RFC 6761 §6.3), whatever a resolver would answer, and a trailing
 * dot names the same host: refused by name, so the refusal does not depend on how the resolver treats them.
 */
function isLocalhostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  return name === 'localhost' || name.endsWith('.localhost');
}

/** The URL's hostname without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

export function isAllowedAddress(address: string, policy: UrlPolicy): boolean {
  if (policy.allowLoopbackHttp && isLoopbackAddress(address)) return true;
  return isPublicAddress(address);
}

/** 127/8 or ::1 (an IPv4-mapped loopback is not accepted as loopback: fail closed). */
export function isLoopbackAddress(address: string): boolean {
  const v4 = toIpv4(address);
  if (v4 !== undefined) return v4[0] === 127;
  return expandIpv6(address)?.every((group, i) => group === (i === 7 ? 1 : 0)) ?? false;
}

/** True only for a global unicast address; anything unparseable is not public (fail closed). */
export function isPublicAddress(address: string): boolean {
  const v4 = toIpv4(address);
  if (v4 !== undefined) return isPublicIpv4(v4);
  const groups = expandIpv6(address);
  if (groups === undefined) return false;
  const [g0 = 0, g1 = 0, , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96): judge the embedded IPv4.
  const embedded = [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff];
  if (groups.slice(0, 5).every((g) => g === 0) && (g5 === 0xffff || g5 === 0)) return isPublicIpv4(embedded);
  if (g0 === 0x64 && g1 === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) return isPublicIpv4(embedded);
  // Global unicast is 2000::/3; inside it, refuse documentation (2001:db8::/32), 6to4 (2002::/16, embeds IPv4 we
  // would have to judge too) and Teredo/ORCHID-like 2001::/23 special-purpose blocks.
  if ((g0 & 0xe000) !== 0x2000) return false;
  if (g0 === 0x2001 && (g1 === 0x0db8 || g1 < 0x0200)) return false;
  if (g0 === 0x2002) return false;
  if (g0 === 0x3fff && g1 < 0x1000) return false; // documentation (3fff::/20, RFC 9637)
  return true;
}

function isPublicIpv4([a = 0, b = 0, c = 0]: number[]): boolean {
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false; // this network, private, loopback, multicast/reserved
  if (a === 100 && b >= 64 && b <= 127) return false; // carrier-grade NAT
  if (a === 169 && b === 254) return false; // link-local, including the instance metadata service
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return false; // IETF protocol assignments, TEST-NET-1
  if (a === 192 && b === 88 && c === 99) return false; // deprecated 6to4 relay anycast (RFC 7526)
  if (a === 198 && (b === 18 || b === 19)) return false; // benchmarking
  if (a === 198 && b === 51 && c === 100) return false; // TEST-NET-2
  if (a === 203 && b === 0 && c === 113) return false; // TEST-NET-3
  return true;
}

function toIpv4(address: string): number[] | undefined {
  if (isIP(address) !== 4) return undefined;
  return address.split('.').map(Number);
}

function expandIpv6(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = tail.split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array(fill).fill('0'), ...right].map((g) => Number.parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : undefined;
}
