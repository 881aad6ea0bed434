/**
 * certificateState (GET /v1/certificates/{fp} and the parent check of sub-agent issuance) must judge ancestors exactly
 * as the verifier does: stored path plus parent, each in the record's own tenant; anything it cannot see is revoked.
 */
import { describe, expect, it } from 'vitest';
import { certificateState } from '../../../../src/core/ca/certificate-state.js';
import type { CertificateRecord } from '../../../../src/core/model.js';

const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function record(n: number, overrides: Partial<CertificateRecord> = {}): CertificateRecord {
  return {
    tenantId: 't1',
    fingerprint: fp(n),
    serialNumber: n.toString(16).padStart(32, '4'),
    agentId: 'a_state00000000000001',
    pem: '',
    publicKeyPem: '',
    publicKeyAlgorithm: 'ECDSA_P256',
    scope: { currency: 'EUR' },
    notBefore: 1_000,
    notAfter: 2_000,
    ancestors: [],
    status: 'active',
    createdAt: 1_000,
    ...overrides,
  };
}

const PARENT_REVOKED = { valid: false, status: 'revoked', reason: 'parent_revoked' };

describe('certificateState', () => {
  it('checks parentFingerprint even when the stored ancestor path omits it', () => {
    const child = record(2, { parentFingerprint: fp(1), ancestors: [] });
    expect(certificateState(child, [record(1, { status: 'revoked', revokedAt: 1_100 })], 1_500)).toEqual(
      PARENT_REVOKED,
    );
    expect(certificateState(child, [], 1_500)).toEqual(PARENT_REVOKED);
    expect(certificateState(child, [record(1)], 1_500)).toEqual({ valid: true, status: 'active' });
  });

  it('an ancestor record from another tenant does not vouch for the chain', () => {
    const child = record(2, { parentFingerprint: fp(1), ancestors: [fp(1)] });
    expect(certificateState(child, [record(1, { tenantId: 't2' })], 1_500)).toEqual(PARENT_REVOKED);
  });

  it('validity edges are inclusive at both ends', () => {
    const cert = record(1);
    expect(certificateState(cert, [], 999)).toEqual({ valid: false, status: 'active', reason: 'not_yet_valid' });
    expect(certificateState(cert, [], 1_000)).toEqual({ valid: true, status: 'active' });
    expect(certificateState(cert, [], 2_000)).toEqual({ valid: true, status: 'active' });
    expect(certificateState(cert, [], 2_001)).toEqual({ valid: false, status: 'expired', reason: 'expired' });
  });
});
