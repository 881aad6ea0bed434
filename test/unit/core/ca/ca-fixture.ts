/** Shared test wiring: a CertificateAuthority over the in-memory ports, a settable clock, CSR helpers. */
import 'reflect-metadata';
import { randomBytes, webcrypto } from 'node:crypto';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import { MemoryKeyVault } from '../../../../src/adapters/memory/memory-key-vault.js';
import { MemoryCaStore, MemoryCertificateStore } from '../../../../src/adapters/memory/memory-stores.js';
import { CertificateAuthority } from '../../../../src/core/ca/certificate-authority.js';
import type { AgentRecord } from '../../../../src/core/model.js';
import type { Clock } from '../../../../src/ports.js';

export const crypto = webcrypto as Crypto;

export class SettableClock implements Clock {
  constructor(public current: number) {}
  now(): number {
    return this.current;
  }
}

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

export function createCa(clock: Clock = new SettableClock(T0)) {
  const vault = new MemoryKeyVault();
  const caStore = new MemoryCaStore();
  const certificates = new MemoryCertificateStore();
  const ca = new CertificateAuthority({
    vault,
    caStore,
    certificates,
    clock,
    random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
    config: { crlUrl: (tenantId) => `http://127.0.0.1:8787/v1/crl?tenant=${tenantId}` },
  });
  return { ca, vault, caStore, certificates, clock };
}

export function agent(id: string, overrides: Partial<AgentRecord> = {}): AgentRecord {
  return {
    tenantId: 't1',
    id,
    name: `agent-${id}`,
    metadata: {},
    mode: 'observe',
    warningThreshold: 0.75,
    anomalyThreshold: 0.85,
    status: 'active',
    createdAt: T0,
    ...overrides,
  };
}

export type CsrKeyKind = 'p256' | 'p384' | 'rsa1024' | 'rsa2048' | 'rsa4096' | 'ed25519';

const ALGORITHMS: Record<CsrKeyKind, { gen: RsaHashedKeyGenParams | EcKeyGenParams | Algorithm; sign: Algorithm }> = {
  p256: {
    gen: { name: 'ECDSA', namedCurve: 'P-256' } as EcKeyGenParams,
    sign: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  },
  p384: {
    gen: { name: 'ECDSA', namedCurve: 'P-384' } as EcKeyGenParams,
    sign: { name: 'ECDSA', hash: 'SHA-384' } as EcdsaParams,
  },
  rsa1024: { gen: rsa(1024), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  rsa2048: { gen: rsa(2048), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  rsa4096: { gen: rsa(4096), sign: { name: 'RSASSA-PKCS1-v1_5' } },
  ed25519: { gen: { name: 'Ed25519' }, sign: { name: 'Ed25519' } },
};

function rsa(modulusLength: number): RsaHashedKeyGenParams {
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

/** A PEM CSR for a fresh key of the given kind, plus the key pair. */
export async function makeCsr(kind: CsrKeyKind, name = 'agent') {
  const { gen, sign } = ALGORITHMS[kind];
  const keys = (await crypto.subtle.generateKey(gen, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create(
    { name: `CN=${name}`, keys, signingAlgorithm: sign },
    crypto,
  );
  return { pem: csr.toString('pem'), keys };
}
