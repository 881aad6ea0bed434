/** Webhook destinations (docs/events.md, "Webhook URLs"): what deployed and local mode accept, as named cases. */
import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPublicAddress } from '../../../../src/core/webhooks/address-policy.js';

const DEPLOYED = { allowLoopbackHttp: false };
const LOCAL = { allowLoopbackHttp: true };

describe('isPublicAddress', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '127.0.0.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    '2001:db8::1',
    '2002:a9fe:a9fe::1',
    'ff02::1',
    'not-an-ip',
    // forms an attacker reaches for: IPv4-compatible, IPv4-translated, local-use NAT64, Teredo, site-local, the
    // discard prefix, the 2024 documentation prefix, the deprecated 6to4 relay anycast, the zone-scoped link-local
    '::127.0.0.1',
    '::ffff:0:7f00:1',
    '64:ff9b:1::a9fe:a9fe',
    '2001::1',
    'fec0::1',
    '100::1',
    '3fff::1',
    '192.88.99.1',
    'fe80::1%eth0',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'accepts %s',
    (address) => {
      expect(isPublicAddress(address)).toBe(true);
    },
  );
});

describe('checkWebhookUrl', () => {
  it.each([
    ['http://example.com/hook', DEPLOYED],
    ['http://127.0.0.1:9000/hook', DEPLOYED],
    ['https://127.0.0.1/hook', DEPLOYED],
    ['https://localhost/hook', DEPLOYED],
    ['https://169.254.169.254/latest/meta-data', DEPLOYED],
    ['https://[::ffff:a9fe:a9fe]/x', DEPLOYED],
    ['https://user:pass@example.com/hook', DEPLOYED],
    ['ftp://example.com/hook', DEPLOYED],
    ['not a url', DEPLOYED],
    [`https://example.com/${'x'.repeat(2100)}`, DEPLOYED],
    // Every spelling of an address the URL parser normalises (decimal, hex, octal, short form, percent-encoded,
    // full-width, trailing dot) lands on the address it denotes, and is judged as that address.
    ['https://2130706433/hook', DEPLOYED],
    ['https://0x7f000001/hook', DEPLOYED],
    ['https://017700000001/hook', DEPLOYED],
    ['https://127.1/hook', DEPLOYED],
    ['https://%31%32%37.0.0.1/hook', DEPLOYED],
    ['https://127。0。0。1/hook', DEPLOYED],
    ['https://2852039166/latest/meta-data', DEPLOYED],
    ['https://0xa9.0xfe.0xa9.0xfe/latest/meta-data', DEPLOYED],
    ['https://169.254.169.254./latest/meta-data', DEPLOYED],
    ['https://0/hook', DEPLOYED],
    ['https://0.0.0.0/hook', DEPLOYED],
    ['https://[::]/hook', DEPLOYED],
    ['https://[::ffff:127.0.0.1]/hook', DEPLOYED],
    ['https://[0:0:0:0:0:ffff:7f00:1]/hook', DEPLOYED],
    ['https://[::127.0.0.1]/hook', DEPLOYED],
    ['https://[fe80::1%25eth0]/hook', DEPLOYED],
    // localhost by name, whatever the resolver says of it (RFC 6761): any case, a trailing dot, a name under it
    ['https://LOCALHOST/hook', DEPLOYED],
    ['https://localhost./hook', DEPLOYED],
    ['https://hooks.localhost/hook', DEPLOYED],
    ['https://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ/hook', DEPLOYED],
    ['https://127.0.0.1:443@example.com/hook', DEPLOYED],
    ['http://10.0.0.5/hook', LOCAL],
    // Local mode's http is for loopback only, spelled plainly: no mapped form, no name under localhost.
    ['http://[::ffff:127.0.0.1]:9000/hook', LOCAL],
    ['http://hooks.localhost:9000/hook', LOCAL],
    ['https://0.0.0.0:9000/hook', LOCAL],
    ['https://[::ffff:169.254.169.254]/hook', LOCAL],
    ['http://example.com/hook', LOCAL],
    ['https://192.168.0.1/hook', LOCAL],
  ])('refuses %s', (url, policy) => {
    expect(() => checkWebhookUrl(url, policy)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST', field: 'url' }),
    );
  });

  it.each([
    ['https://example.com/hook', DEPLOYED],
    ['https://93.184.216.34/hook', DEPLOYED],
    ['http://127.0.0.1:9000/hook', LOCAL],
    ['http://localhost:9000/hook', LOCAL],
    ['http://[::1]:9000/hook', LOCAL],
    ['https://example.com/hook', LOCAL],
  ])('accepts %s', (url, policy) => {
    expect(checkWebhookUrl(url, policy).href).toBe(new URL(url).href);
  });
});
