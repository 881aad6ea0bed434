/** SCOPE_EXCEEDS_PARENT names the request field that broke the rule (contract §1: `field` where one applies). */
import { beforeAll, describe, expect, it } from 'vitest';
import { KakuninError } from '../../../../src/core/errors.js';
import { agent, createCa } from './ca-fixture.js';

const tenantId = 't1';
const env = createCa();

beforeAll(async () => {
  await env.ca.ensureTenant(tenantId);
});

async function errorOf(promise: Promise<unknown>): Promise<KakuninError> {
  const outcome = await promise.catch((error: unknown) => error);
  expect(outcome).toBeInstanceOf(KakuninError);
  return outcome as KakuninError;
}

describe('sub-agent refusals name their field', () => {
  it.each([
    [{ validityDays: 31 }, 'validityDays'],
    [{ validityHours: 31 * 24 }, 'validityHours'],
    [{ scope: { currency: 'USD' } }, 'scope.currency'],
    [{ scope: { maxTransactionSize: 11 } }, 'scope.maxTransactionSize'],
  ])('%j → SCOPE_EXCEEDS_PARENT at %s', async (overrides, field) => {
    const parent = await env.ca.issue({
      tenantId,
      agent: agent('a_fieldparent0000001'),
      scope: { maxTransactionSize: 10 },
      validityDays: 30,
    });
    const error = await errorOf(
      env.ca.issue({
        tenantId,
        agent: agent('a_fieldchild00000001'),
        scope: { maxTransactionSize: 10 },
        parentFingerprint: parent.record.fingerprint,
        ...overrides,
      }),
    );
    expect(error.code).toBe('SCOPE_EXCEEDS_PARENT');
    expect(error.field).toBe(field);
  });
});
