/**
 * Test world for the verification pipeline: in-memory ports, a fixed clock, and certificate records built directly
 * from node:crypto keys. The pipeline reads the record's SPKI PEM for the signature and the scope from the X.509 PEM's
 * own extension, so each record carries a real certificate with its scope (`scopedCertificatePem`).
 */
import { constants, createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { MemoryLedger } from '../../../../src/adapters/memory/memory-ledger.js';
import {
  MemoryAgentStore,
  MemoryCertificateStore,
  MemoryNonceStore,
  MemoryVelocityStore,
} from '../../../../src/adapters/memory/memory-stores.js';
import { MemoryActionStream, MemoryRiskReader } from '../../../../src/adapters/memory/memory-streams.js';
import { encodeBase64 } from '../../../../src/core/envelope/base64.js';
import { signedBytes } from '../../../../src/core/envelope/schema.js';
import type {
  ActionPayload,
  AgentRecord,
  CertificateRecord,
  Scope,
  SignedEnvelope,
  UnsignedEnvelope,
} from '../../../../src/core/model.js';
import { ActionVerifier, type ActionVerifierDeps } from '../../../../src/core/verification/action-verifier.js';
import type { Clock } from '../../../../src/ports.js';
import { scopedCertificatePem } from '../../../support/scoped-certificate.js';

export const TENANT = 't_test';
export const NOW = Date.UTC(2025, 10, 26, 12, 0, 0);
export const DAY = 86_400_000;

export interface TestKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  algorithm: CertificateRecord['publicKeyAlgorithm'];
}

function keyOf(pair: { privateKey: KeyObject; publicKey: KeyObject }, algorithm: TestKey['algorithm']): TestKey {
  return {
    privateKey: pair.privateKey,
    publicKeyPem: pair.publicKey.export({ format: 'pem', type: 'spki' }) as string,
    algorithm,
  };
}

export const ecKey = (): TestKey => keyOf(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), 'ECDSA_P256');
export const rsaKey = (): TestKey => keyOf(generateKeyPairSync('rsa', { modulusLength: 2048 }), 'RSA');

/** Keys are slow to make (RSA especially): the suites share these. */
export const KEYS = { ec: ecKey(), ec2: ecKey(), rsa: rsaKey() };

/** Signs bytes exactly as contract §4 requires for the key's type. */
export function rawSign(key: TestKey, bytes: Uint8Array): string {
  const signature =
    key.algorithm === 'ECDSA_P256'
      ? sign('sha256', bytes, { key: key.privateKey, dsaEncoding: 'der' })
      : sign('sha256', bytes, { key: key.privateKey, padding: constants.RSA_PKCS1_PADDING });
  return encodeBase64(signature);
}

export function signUnsigned(key: TestKey, unsigned: UnsignedEnvelope): SignedEnvelope {
  return { ...unsigned, signature: rawSign(key, signedBytes(unsigned)) };
}

export class MutableClock implements Clock {
  constructor(public time = NOW) {}
  now(): number {
    return this.time;
  }
}

let counter = 0;
function uniqueNonce(): string {
  counter += 1;
  return `nonce_${counter.toString().padStart(10, '0')}`;
}

export class World {
  readonly clock = new MutableClock();
  readonly agents = new MemoryAgentStore();
  readonly risk = new MemoryRiskReader();
  readonly certificates = new MemoryCertificateStore(this.agents, this.risk);
  readonly nonces = new MemoryNonceStore();
  readonly velocity = new MemoryVelocityStore();
  readonly ledger = new MemoryLedger(this.clock);
  readonly stream = new MemoryActionStream();
  readonly verifier: ActionVerifier;

  constructor(overrides: Partial<ActionVerifierDeps> = {}) {
    this.verifier = new ActionVerifier({
      certificates: this.certificates,
      agents: this.agents,
      nonces: this.nonces,
      velocity: this.velocity,
      ledger: this.ledger,
      stream: this.stream,
      clock: this.clock,
      config: {},
      ...overrides,
    });
  }

  async agent(overrides: Partial<AgentRecord> = {}): Promise<AgentRecord> {
    const agent: AgentRecord = {
      tenantId: TENANT,
      id: `a_${randomBytes(10).toString('hex')}`,
      name: 'payments',
      metadata: {},
      mode: 'observe',
      warningThreshold: 0.75,
      anomalyThreshold: 0.85,
      status: 'active',
      createdAt: NOW - DAY,
      ...overrides,
    };
    await this.agents.create(agent);
    return agent;
  }

  /**
   * Stores a certificate record for `key` whose certificate carries `scope`; creates its agent unless `agentId` is
   * given. `storedScope` makes the record's stored copy differ from the certificate's (the certificate must win).
   */
  async certificate(
    options: {
      key?: TestKey;
      scope?: Scope;
      storedScope?: Scope;
      parent?: CertificateRecord;
      store?: boolean;
    } & Partial<CertificateRecord> = {},
  ): Promise<CertificateRecord> {
    const { key = KEYS.ec, scope = {}, storedScope, parent, store = true, ...overrides } = options;
    const agentId = overrides.agentId ?? (await this.agent()).id;
    const fingerprint = `sha256:${createHash('sha256').update(randomBytes(32)).digest('hex')}`;
    const record: CertificateRecord = {
      tenantId: TENANT,
      fingerprint,
      serialNumber: randomBytes(16).toString('hex'),
      agentId,
      pem: scopedCertificatePem(scope),
      publicKeyPem: key.publicKeyPem,
      publicKeyAlgorithm: key.algorithm,
      scope: storedScope ?? scope,
      notBefore: NOW - DAY,
      notAfter: NOW + 30 * DAY,
      ancestors: parent ? [...parent.ancestors, parent.fingerprint] : [],
      ...(parent ? { parentFingerprint: parent.fingerprint } : {}),
      status: 'active',
      createdAt: NOW - DAY,
      ...overrides,
    };
    if (store) await this.certificates.put(record);
    return record;
  }

  /** A correctly signed envelope for `record` (override any unsigned field before signing). */
  envelope(
    record: CertificateRecord,
    options: { key?: TestKey; payload?: ActionPayload } & Partial<UnsignedEnvelope> = {},
  ): SignedEnvelope {
    const { key = KEYS.ec, payload = { action: 'charge' }, ...overrides } = options;
    return signUnsigned(key, {
      payload,
      certificateFingerprint: record.fingerprint,
      timestamp: this.clock.now(),
      nonce: uniqueNonce(),
      ...overrides,
    });
  }

  entries() {
    return this.ledger.rawChain(TENANT);
  }
}
