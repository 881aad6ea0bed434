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
    ['http://10.0.0.5/hook', LOCAL],
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
