import { describe, expect, it } from 'vitest';
import { configFromEnv, ENV } from '../../../src/app/config.js';
import { KakuninError } from '../../../src/core/errors.js';

const VALID = {
  [ENV.registryTable]: 'registry',
  [ENV.noncesTable]: 'nonces',
  [ENV.countersTable]: 'counters',
  [ENV.ledgerTable]: 'ledger',
  [ENV.actionStream]: 'actions',
  [ENV.eventBus]: 'bus',
  [ENV.publicBaseUrl]: 'https://abc.execute-api.eu-central-1.amazonaws.com/live',
};

function failure(env: NodeJS.ProcessEnv): KakuninError {
  try {
    configFromEnv(env);
  } catch (error) {
    if (error instanceof KakuninError) return error;
    throw error;
  }
  throw new Error('expected configFromEnv to throw');
}

describe('configFromEnv', () => {
  it('reads the deployment environment, with the 300 s default window', () => {
    expect(configFromEnv(VALID)).toEqual({
      tables: { registry: 'registry', nonces: 'nonces', counters: 'counters', ledger: 'ledger' },
      actionStream: 'actions',
      eventBus: 'bus',
      publicBaseUrl: VALID[ENV.publicBaseUrl],
      timestampWindowMs: 300_000,
    });
  });

  it('reads the optional values', () => {
    const config = configFromEnv({
      ...VALID,
      [ENV.artifactBucket]: 'artifacts',
      [ENV.scopeOid]: '1.3.6.1.4.1.32473.1.1',
      [ENV.timestampWindowSeconds]: '60',
    });
    expect(config.artifactBucket).toBe('artifacts');
    expect(config.scopeOid).toBe('1.3.6.1.4.1.32473.1.1');
    expect(config.timestampWindowMs).toBe(60_000);
  });

  it.each([
    [ENV.registryTable, undefined],
    [ENV.ledgerTable, 'ab'],
    [ENV.actionStream, ''],
    [ENV.publicBaseUrl, 'not a url'],
    [ENV.publicBaseUrl, 'ftp://example.com'],
    [ENV.publicBaseUrl, undefined],
    [ENV.scopeOid, '1.x'],
    [ENV.scopeOid, '1'],
    [ENV.artifactBucket, 'ab'],
    [ENV.timestampWindowSeconds, '0'],
    [ENV.timestampWindowSeconds, '3601'],
    [ENV.timestampWindowSeconds, '1.5'],
    [ENV.timestampWindowSeconds, ''],
    [ENV.timestampWindowSeconds, 'abc'],
  ])('refuses %s = %j with INVALID_REQUEST naming the variable', (name, value) => {
    const env: NodeJS.ProcessEnv = { ...VALID, [name]: value };
    if (value === undefined) delete env[name];
    const error = failure(env);
    expect(error.code).toBe('INVALID_REQUEST');
    expect(error.toBody()).toMatchObject({ field: name });
  });
});
