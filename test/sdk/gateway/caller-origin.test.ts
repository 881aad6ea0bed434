/** The origin a gateway sends is what the service accepts, whatever the caller put in its headers. */
import { describe, expect, it } from 'vitest';
import { callerOrigin } from '../../../packages/sdk/src/gateway/caller-origin.js';

describe('callerOrigin', () => {
  it('keeps a real address and user agent, and unwraps IPv4-mapped IPv6', () => {
    expect(callerOrigin('203.0.113.7', 'agent/1.0')).toEqual({ ip: '203.0.113.7', userAgent: 'agent/1.0' });
    expect(callerOrigin('::ffff:127.0.0.1', undefined)).toEqual({ ip: '127.0.0.1' });
    expect(callerOrigin('2001:db8::1', ['first', 'second'])).toEqual({ ip: '2001:db8::1', userAgent: 'first' });
  });

  it('drops what is not an address, strips control characters and bounds the user agent', () => {
    expect(callerOrigin('not-an-ip', '\u0000\u001b')).toEqual({});
    expect(callerOrigin(undefined, 'forged\nlog line')).toEqual({ userAgent: 'forgedlog line' });
    expect(callerOrigin(undefined, 'x'.repeat(2_000)).userAgent).toHaveLength(512);
  });
});
