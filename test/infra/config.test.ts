/** lib/config.ts: one validated configuration; typos and unsafe values fail the synth. */
import { describe, expect, it } from 'vitest';
import { configFromContext, configFromInput } from '../../lib/config.js';

describe('kakunin config', () => {
  it('fills safe defaults', () => {
    expect(configFromInput(undefined)).toMatchObject({
      stackPrefix: 'Kakunin',
      bootstrapTenantId: 'default',
      timestampWindowSeconds: 300,
      retention: { artifactDays: 180, logDays: 90 },
      streamCapacity: 1,
      api: { waf: false, authorizerCacheSeconds: 60 },
    });
  });

  it.each([
    [{ retention: { artifactDays: 90 } }, /retention.artifactDays/],
    [{ retention: { logDays: 100 } }, /retention.logDays/],
    [{ bootstrapTenant: 'x' }, /Unrecognized key/i],
    [{ api: { wafx: true } }, /api/],
    [{ account: '123456789012' }, /both account and region/],
    [{ scopeOid: 'not-an-oid' }, /scopeOid/],
    [{ bootstrapTenantId: 'Upper Case' }, /bootstrapTenantId/],
  ])('rejects %j', (input, message) => {
    expect(() => configFromInput(input)).toThrow(message);
  });

  it('reads the kakunin context as an object or as a JSON string', () => {
    const node = (value: unknown) => ({ tryGetContext: () => value });
    expect(configFromContext(node({ streamCapacity: 'on-demand' })).streamCapacity).toBe('on-demand');
    expect(configFromContext(node('{"account":"123456789012","region":"eu-central-1"}')).region).toBe('eu-central-1');
    expect(() => configFromContext(node('{oops'))).toThrow(/not JSON/);
  });
});
