/** Sub-agent chains are bounded: every verification reads each ancestor's status, so depth must not grow freely. */
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_DELEGATION_DEPTH } from '../../../../src/core/ca/issuance-pipeline.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { agent, createCa } from './ca-fixture.js';

const tenantId = 't1';
const env = createCa();

beforeAll(async () => {
  await env.ca.ensureTenant(tenantId);
});

describe('delegation depth', () => {
  it(`issues ${MAX_DELEGATION_DEPTH} levels below a root agent certificate and refuses one more`, async () => {
    const scope = { allowedActions: ['charge'] };
    let parent = (await env.ca.issue({ tenantId, agent: agent('a_depth0000000000000000'), scope })).record;
    for (let level = 1; level <= MAX_DELEGATION_DEPTH; level += 1) {
      const subject = agent(`a_depth${String(level).padStart(16, '0')}`);
      parent = (await env.ca.issue({ tenantId, agent: subject, scope, parentFingerprint: parent.fingerprint })).record;
      expect(parent.ancestors).toHaveLength(level);
    }
    const outcome = await env.ca
      .issue({ tenantId, agent: agent('a_depthtoodeep000000001'), scope, parentFingerprint: parent.fingerprint })
      .catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(KakuninError);
    expect((outcome as KakuninError).code).toBe('SCOPE_EXCEEDS_PARENT');
    expect((outcome as KakuninError).field).toBe('parentFingerprint');
  });
});
