/** Record builders for store tests: valid records with overridable fields. */
import { createHash } from 'node:crypto';
import type { AgentRecord, AuditEntryInput, CaRecord, CertificateRecord } from '../../../src/core/model.js';

export const fingerprintOf = (label: string): string => `sha256:${createHash('sha256').update(label).digest('hex')}`;

export function agentRecord(tenantId: string, id: string, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    tenantId,
    id,
    name: `agent ${id}`,
    metadata: { team: 'payments', nested: { list: [1, 2.5, 'x'], empty: [], flag: true, nothing: null } },
    mode: 'observe',
    warningThreshold: 0.6,
    anomalyThreshold: 0.85,
    status: 'active',
    createdAt: 1_764_190_000_000,
    ...overrides,
  };
}

export function certificateRecord(
  tenantId: string,
  label: string,
  overrides: Partial<CertificateRecord> = {},
): CertificateRecord {
  return {
    tenantId,
    fingerprint: fingerprintOf(label),
    serialNumber: createHash('md5').update(label).digest('hex'),
    agentId: 'agent-1',
    pem: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
    publicKeyPem: '-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n',
    publicKeyAlgorithm: 'ECDSA_P256',
    scope: { maxTransactionSize: 100.5, currency: 'EUR', allowedActions: [], allowedCounterparties: ['acme'] },
    notBefore: 1_764_190_000_000,
    notAfter: 1_795_726_000_000,
    ancestors: [],
    status: 'active',
    createdAt: 1_764_190_000_000,
    ...overrides,
  };
}

export function caRecord(label: string): CaRecord {
  return {
    keyId: `key-${label}`,
    keySpec: 'RSA_4096',
    certPem: `-----BEGIN CERTIFICATE-----\n${label}\n-----END CERTIFICATE-----\n`,
    fingerprint: fingerprintOf(label),
    notBefore: 1_764_190_000_000,
    notAfter: 2_079_550_000_000,
  };
}

export function auditInput(tenantId: string, i: number, overrides: Partial<AuditEntryInput> = {}): AuditEntryInput {
  return {
    tenantId,
    actorId: i % 2 === 0 ? 'agent-even' : 'agent-odd',
    type: 'action.verified',
    payload: { action: 'pay', amount: 10.25 + i, currency: 'EUR', big: 12345678901234567000, tiny: 1e-9, list: [] },
    signature: 'MEUCIQ==',
    certificateFingerprint: fingerprintOf('cert'),
    nonce: `nonce-${i}-abcdefghijkl`,
    timestamp: 1_764_190_000_000 + i,
    riskScore: 0.1 + 0.2,
    ...overrides,
  };
}
