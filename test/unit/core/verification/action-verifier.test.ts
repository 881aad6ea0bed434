import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../../../src/core/canonical-json.js';
import type { VerificationCode } from '../../../../src/core/errors.js';
import type { SignedEnvelope } from '../../../../src/core/model.js';
import { DAY, KEYS, NOW, rawSign, TENANT, World } from './world.js';

const PAYMENT = { action: 'charge', amount: 100, currency: 'EUR', counterparty: 'stripe', region: 'eu-west-1' };
const PAYMENT_SCOPE = {
  currency: 'EUR',
  maxTransactionSize: 1000,
  allowedActions: ['charge', 'refund'],
  allowedCounterparties: ['stripe', 'revolut'],
  allowedRegions: ['eu-west-1'],
};

interface Attack {
  name: string;
  /** Builds the hostile request; may first run honest verifications (they must pass). */
  attack(world: World): Promise<unknown>;
  code: VerificationCode;
  field?: string;
  /** False only when the envelope names no known certificate. */
  audited?: boolean;
}

async function honest(world: World, envelope: SignedEnvelope): Promise<void> {
  const result = await world.verifier.verify(TENANT, envelope);
  expect(result.verified, JSON.stringify(result)).toBe(true);
}

const ATTACKS: Attack[] = [
  {
    name: 'unknown fingerprint',
    attack: async (w) => {
      const ghost = await w.certificate({ store: false });
      return w.envelope(ghost);
    },
    code: 'CERTIFICATE_UNKNOWN',
    field: 'certificateFingerprint',
    audited: false,
  },
  {
    name: "another tenant's certificate",
    attack: async (w) => {
      const other = await w.certificate({ tenantId: 't_other' });
      return w.envelope(other);
    },
    code: 'CERTIFICATE_UNKNOWN',
    field: 'certificateFingerprint',
    audited: false,
  },
  {
    name: 'revoked certificate',
    attack: async (w) => {
      const cert = await w.certificate();
      await w.certificates.revoke(TENANT, cert.fingerprint, 'keyCompromise', NOW - 1);
      return w.envelope(cert);
    },
    code: 'CERTIFICATE_REVOKED',
    field: 'certificateFingerprint',
  },
  {
    name: 'revoked parent',
    attack: async (w) => {
      const parent = await w.certificate();
      const child = await w.certificate({ parent });
      await w.certificates.revoke(TENANT, parent.fingerprint, 'anomaly', NOW - 1);
      return w.envelope(child);
    },
    code: 'CERTIFICATE_REVOKED',
    field: 'certificateFingerprint',
  },
  {
    name: 'revoked grandparent',
    attack: async (w) => {
      const grandparent = await w.certificate();
      const parent = await w.certificate({ parent: grandparent });
      const child = await w.certificate({ parent });
      await honest(w, w.envelope(child));
      await w.certificates.revoke(TENANT, grandparent.fingerprint, 'keyCompromise', NOW - 1);
      return w.envelope(child);
    },
    code: 'CERTIFICATE_REVOKED',
    field: 'certificateFingerprint',
  },
  {
    name: 'ancestor missing from the store (fail closed)',
    attack: async (w) => {
      const parent = await w.certificate({ store: false });
      return w.envelope(await w.certificate({ parent }));
    },
    code: 'CERTIFICATE_REVOKED',
  },
  {
    name: 'expired certificate',
    attack: async (w) => w.envelope(await w.certificate({ notBefore: NOW - 30 * DAY, notAfter: NOW - 1 })),
    code: 'CERTIFICATE_EXPIRED',
  },
  {
    name: 'not-yet-valid certificate',
    attack: async (w) => w.envelope(await w.certificate({ notBefore: NOW + 1, notAfter: NOW + DAY })),
    code: 'CERTIFICATE_NOT_YET_VALID',
  },
  {
    name: 'suspended agent',
    attack: async (w) => {
      const agent = await w.agent({ status: 'suspended' });
      return w.envelope(await w.certificate({ agentId: agent.id }));
    },
    code: 'AGENT_SUSPENDED',
  },
  {
    name: 'agent missing (fail closed)',
    attack: async (w) => w.envelope(await w.certificate({ agentId: 'a_doesnotexist0000' })),
    code: 'AGENT_SUSPENDED',
  },
  {
    name: 'tampered payload amount',
    attack: async (w) => {
      const envelope = w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload: PAYMENT });
      return { ...envelope, payload: { ...envelope.payload, amount: 999 } };
    },
    code: 'SIGNATURE_INVALID',
    field: 'signature',
  },
  {
    name: 'nonce swapped after signing',
    attack: async (w) => ({ ...w.envelope(await w.certificate()), nonce: 'fresh_nonce_0123456789' }),
    code: 'SIGNATURE_INVALID',
    field: 'signature',
  },
  {
    name: 'timestamp moved after signing',
    attack: async (w) => {
      const envelope = w.envelope(await w.certificate());
      return { ...envelope, timestamp: envelope.timestamp + 1 };
    },
    code: 'SIGNATURE_INVALID',
    field: 'signature',
  },
  {
    name: 'envelope re-pointed at another certificate with the same key',
    attack: async (w) => {
      const original = await w.certificate();
      const other = await w.certificate();
      return { ...w.envelope(original), certificateFingerprint: other.fingerprint };
    },
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'signature by another key',
    attack: async (w) => w.envelope(await w.certificate(), { key: KEYS.ec2 }),
    code: 'SIGNATURE_INVALID',
    field: 'signature',
  },
  {
    name: 'RSA certificate, ECDSA signature',
    attack: async (w) => w.envelope(await w.certificate({ key: KEYS.rsa }), { key: KEYS.ec }),
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'signature over the payload only (the seed guide’s scheme)',
    attack: async (w) => {
      const envelope = w.envelope(await w.certificate());
      return { ...envelope, signature: rawSign(KEYS.ec, canonicalBytes(envelope.payload)) };
    },
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'timestamp 301 s old',
    attack: async (w) => w.envelope(await w.certificate(), { timestamp: NOW - 301_000 }),
    code: 'TIMESTAMP_OUT_OF_WINDOW',
    field: 'timestamp',
  },
  {
    name: 'timestamp 301 s in the future',
    attack: async (w) => w.envelope(await w.certificate(), { timestamp: NOW + 301_000 }),
    code: 'TIMESTAMP_OUT_OF_WINDOW',
    field: 'timestamp',
  },
  {
    name: 'replay of an accepted envelope',
    attack: async (w) => {
      const envelope = w.envelope(await w.certificate());
      await honest(w, envelope);
      return structuredClone(envelope);
    },
    code: 'REPLAY_DETECTED',
    field: 'nonce',
  },
  {
    name: 'replay 299 s later, still inside the window',
    attack: async (w) => {
      const envelope = w.envelope(await w.certificate());
      await honest(w, envelope);
      w.clock.time = NOW + 299_000;
      return envelope;
    },
    code: 'REPLAY_DETECTED',
  },
  {
    name: 'wrong currency',
    attack: async (w) =>
      w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload: { ...PAYMENT, currency: 'USD' } }),
    code: 'SCOPE_VIOLATION',
    field: 'payload.currency',
  },
  {
    name: 'amount without currency',
    attack: async (w) => {
      const { currency: _omitted, ...payload } = PAYMENT;
      return w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload });
    },
    code: 'SCOPE_VIOLATION',
    field: 'payload.currency',
  },
  {
    name: 'missing counterparty',
    attack: async (w) => {
      const { counterparty: _omitted, ...payload } = PAYMENT;
      return w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload });
    },
    code: 'SCOPE_VIOLATION',
    field: 'payload.counterparty',
  },
  {
    name: 'missing region',
    attack: async (w) => {
      const { region: _omitted, ...payload } = PAYMENT;
      return w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload });
    },
    code: 'SCOPE_VIOLATION',
    field: 'payload.region',
  },
  {
    name: 'action not allowed',
    attack: async (w) =>
      w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload: { ...PAYMENT, action: 'payout' } }),
    code: 'SCOPE_VIOLATION',
    field: 'payload.action',
  },
  {
    name: 'amount over maxTransactionSize',
    attack: async (w) =>
      w.envelope(await w.certificate({ scope: PAYMENT_SCOPE }), { payload: { ...PAYMENT, amount: 1000.01 } }),
    code: 'SCOPE_VIOLATION',
    field: 'payload.amount',
  },
  {
    name: 'negative amount to shrink the daily volume',
    attack: async (w) =>
      w.envelope(await w.certificate({ scope: { maxDailyVolume: 100 } }), {
        payload: { action: 'refund', amount: -1e6, currency: 'EUR' },
      }),
    code: 'SCOPE_VIOLATION',
    field: 'payload.amount',
  },
  {
    name: 'third transaction in an hour with maxTransactionsPerHour 2',
    attack: async (w) => {
      const cert = await w.certificate({ scope: { maxTransactionsPerHour: 2 } });
      await honest(w, w.envelope(cert));
      w.clock.time = NOW + 30 * 60_000;
      await honest(w, w.envelope(cert));
      w.clock.time = NOW + 59 * 60_000;
      return w.envelope(cert);
    },
    code: 'VELOCITY_LIMIT_EXCEEDED',
  },
  {
    name: 'daily volume exceeded',
    attack: async (w) => {
      const cert = await w.certificate({ scope: { maxDailyVolume: 1000 } });
      await honest(w, w.envelope(cert, { payload: { action: 'charge', amount: 600, currency: 'EUR' } }));
      return w.envelope(cert, { payload: { action: 'charge', amount: 401, currency: 'EUR' } });
    },
    code: 'VELOCITY_LIMIT_EXCEEDED',
  },
  {
    name: 'enforce mode, risk score at the anomaly threshold',
    attack: async (w) => {
      const agent = await w.agent({ mode: 'enforce', anomalyThreshold: 0.85 });
      w.risk.set(TENANT, agent.id, { score: 0.85, band: 'critical', updatedAt: NOW });
      return w.envelope(await w.certificate({ agentId: agent.id }));
    },
    code: 'RISK_THRESHOLD_EXCEEDED',
  },
  // First failure wins: each row below fails two checks and must report the earlier one.
  {
    name: 'revoked and badly signed → revocation first',
    attack: async (w) => {
      const cert = await w.certificate();
      await w.certificates.revoke(TENANT, cert.fingerprint, 'superseded', NOW);
      return w.envelope(cert, { key: KEYS.ec2 });
    },
    code: 'CERTIFICATE_REVOKED',
  },
  {
    name: 'old and badly signed → signature first',
    attack: async (w) => w.envelope(await w.certificate(), { key: KEYS.ec2, timestamp: NOW - DAY }),
    code: 'SIGNATURE_INVALID',
  },
  {
    name: 'out of scope, then replayed → replay first',
    attack: async (w) => {
      const cert = await w.certificate({ scope: { allowedActions: ['charge'] } });
      const envelope = w.envelope(cert, { payload: { action: 'payout' } });
      const first = await w.verifier.verify(TENANT, envelope);
      expect(first.verified === false && first.error.code).toBe('SCOPE_VIOLATION');
      return envelope;
    },
    code: 'REPLAY_DETECTED',
  },
  {
    name: 'over velocity and over the risk threshold → velocity first',
    attack: async (w) => {
      const agent = await w.agent({ mode: 'enforce' });
      w.risk.set(TENANT, agent.id, { score: 0.99, band: 'critical', updatedAt: NOW });
      const cert = await w.certificate({ agentId: agent.id, scope: { maxDailyVolume: 10 } });
      return w.envelope(cert, { payload: { action: 'charge', amount: 11, currency: 'EUR' } });
    },
    code: 'VELOCITY_LIMIT_EXCEEDED',
  },
];

describe('ActionVerifier: every contract code, built the way an attacker would', () => {
  it.each(ATTACKS)('$name → $code', async ({ attack, code, field, audited = true }) => {
    const world = new World();
    const request = await attack(world);
    const entriesBefore = world.entries().length;
    const streamedBefore = world.stream.published.length;

    const result = await world.verifier.verify(TENANT, request);

    expect(result.verified).toBe(false);
    if (result.verified) return;
    expect(result.error.code).toBe(code);
    if (field !== undefined) expect(result.error.field).toBe(field);
    expect(world.stream.published.length).toBe(streamedBefore);
    const newEntries = world.entries().slice(entriesBefore);
    if (!audited) {
      expect(newEntries).toEqual([]);
      expect(result.auditId).toBeUndefined();
      return;
    }
    expect(newEntries).toHaveLength(1);
    const [entry] = newEntries;
    const envelope = request as SignedEnvelope;
    expect(entry).toMatchObject({
      id: result.auditId,
      type: 'action.rejected',
      errorCode: code,
      certificateFingerprint: envelope.certificateFingerprint,
      nonce: envelope.nonce,
      signature: envelope.signature,
      timestamp: envelope.timestamp,
      payload: envelope.payload,
    });
    const cert = await world.certificates.get(TENANT, envelope.certificateFingerprint);
    expect(entry?.actorId).toBe(cert?.agentId);
    expect((await world.ledger.verify(TENANT)).valid).toBe(true);
  });
});
