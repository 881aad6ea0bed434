/**
 * The issuance pipeline, one step per method, in the order smallstep's signX509 runs them. All validation happens
 * before the vault is asked to create a key or sign anything, so a refused request leaves nothing behind.
 */
import 'reflect-metadata';
import { createPublicKey } from 'node:crypto';
import type { CertificateStore, Clock, KeyVault, Random } from '../../ports.js';
import { certificateFingerprint } from '../crypto/fingerprint.js';
import { KakuninError } from '../errors.js';
import type { CertificateRecord, KeySpec, PublicKeyAlgorithm, Scope } from '../model.js';
import { checkNarrowing } from '../scope/check-narrowing.js';
import { normalizeScope } from '../scope/normalize-scope.js';
import type { IssueCertificateRequest, IssuedCertificate } from '../services.js';
import { ancestorFingerprints } from '../verification/certificate-check.js';
import { callPort } from '../verification/port-call.js';
import type { CaHierarchy } from './ca-hierarchy.js';
import { buildAgentCertificate } from './certificate-profiles.js';
import { certificateState } from './certificate-state.js';
import { classifyPublicKey, readCsr } from './csr.js';
import { checkIssuedCertificate } from './issuance-check.js';
import { randomSerialNumber } from './serial-number.js';
import { requestedLifetimeMs, toWholeSeconds } from './validity.js';

export interface PipelineDeps {
  vault: KeyVault;
  certificates: CertificateStore;
  clock: Clock;
  random: Random;
  crypto: Crypto;
  hierarchy: CaHierarchy;
  scopeOid: string;
  config: { crlUrl: (tenantId: string) => string };
}

type KeyBinding = { kind: 'csr'; csrPem: string } | { kind: 'vault'; keySpec: KeySpec };
interface SubjectKey {
  spki: Uint8Array<ArrayBuffer>;
  algorithm: PublicKeyAlgorithm;
  keyRef?: string;
  keySpec?: KeySpec;
}
interface Lineage {
  parentFingerprint?: string;
  ancestors: string[];
}

/**
 * How many certificates may stand above a sub-agent's. Every verification reads the status of each ancestor, so the
 * chain must stay bounded: 16 levels of delegation is far beyond any orchestration seen in practice.
 */
export const MAX_DELEGATION_DEPTH = 16;

const AGENT_KEY_SPECS: ReadonlySet<string> = new Set(['ECC_NIST_P256', 'RSA_2048']);
const exceeds = (message: string, field?: string): KakuninError =>
  new KakuninError('SCOPE_EXCEEDS_PARENT', message, field === undefined ? {} : { field });

export class IssuancePipeline {
  constructor(private readonly deps: PipelineDeps) {}

  async issue(request: IssueCertificateRequest): Promise<IssuedCertificate> {
    const { agent, tenantId } = request;
    if (agent.tenantId !== tenantId) throw new KakuninError('NOT_FOUND', 'agent not found');
    const binding = this.keyBinding(request);
    const csrKey = binding.kind === 'csr' ? await readCsr(binding.csrPem) : undefined;
    const scope = normalizeScope(request.scope);
    const now = this.deps.clock.now();
    const notBefore = toWholeSeconds(now);
    const notAfter = notBefore + requestedLifetimeMs(request.validityDays, request.validityHours);
    const validityField = request.validityHours !== undefined ? 'validityHours' : 'validityDays';
    const issuing = await callPort('certificate authority store', () => this.deps.hierarchy.issuingCa(tenantId));
    if (notAfter > issuing.record.notAfter) {
      throw new KakuninError('INVALID_REQUEST', 'the certificate would outlive its issuing CA', {
        field: validityField,
      });
    }
    const lineage = await this.narrow(
      tenantId,
      request.parentFingerprint,
      scope,
      { notAfter, field: validityField },
      now,
    );
    const subjectKey: SubjectKey = csrKey ?? (await this.createVaultKey(binding as { keySpec: KeySpec }, request));
    try {
      return await this.signAndStore(request, subjectKey, scope, lineage, issuing, { notBefore, notAfter, now });
    } catch (error) {
      // A key created for this issuance and never handed out must not outlive the failure (an orphaned KMS key costs
      // money every month and is one more key that can sign).
      if (subjectKey.keyRef !== undefined) await this.discardKey(subjectKey.keyRef);
      throw error;
    }
  }

  private async signAndStore(
    request: IssueCertificateRequest,
    subjectKey: SubjectKey,
    scope: Scope,
    lineage: Lineage,
    issuing: Awaited<ReturnType<CaHierarchy['issuingCa']>>,
    { notBefore, notAfter, now }: { notBefore: number; notAfter: number; now: number },
  ): Promise<IssuedCertificate> {
    const { agent, tenantId } = request;
    const serialNumber = randomSerialNumber(this.deps.random);
    const expected = {
      serialNumber,
      agentId: agent.id,
      agentName: agent.name,
      spki: subjectKey.spki,
      scope,
      scopeOid: this.deps.scopeOid,
      notBefore,
      notAfter,
    };
    const signed = await buildAgentCertificate(
      { ...expected, crlUrl: this.deps.config.crlUrl(tenantId), issuer: issuing.certificate, issuerKey: issuing.key },
      this.deps.crypto,
    );
    const der = new Uint8Array(signed.rawData);
    const certificate = await checkIssuedCertificate(der, issuing.certificate, expected);
    const record = this.record(request, certificate.toString('pem'), der, subjectKey, scope, lineage, expected, now);
    // The root is loaded before anything is stored, so a failure to read it cannot leave an unanswered issuance.
    const root = await callPort('certificate authority store', () => this.deps.hierarchy.rootCa());
    if (request.beforeStore) await request.beforeStore(record);
    await callPort('certificate store', () => this.deps.certificates.put(record));
    return { record, chainPem: `${issuing.record.certPem.trim()}\n${root.record.certPem.trim()}\n` };
  }

  /** Exactly one of csr / keySpec; keySpec defaults to ECC_NIST_P256 when neither is given. */
  private keyBinding(request: IssueCertificateRequest): KeyBinding {
    if (request.csrPem !== undefined && request.keySpec !== undefined) {
      throw new KakuninError('INVALID_REQUEST', 'give csr or keySpec, not both', { field: 'keySpec' });
    }
    if (request.csrPem !== undefined) return { kind: 'csr', csrPem: request.csrPem };
    const keySpec = request.keySpec ?? 'ECC_NIST_P256';
    if (!AGENT_KEY_SPECS.has(keySpec)) {
      throw new KakuninError('INVALID_REQUEST', 'keySpec must be ECC_NIST_P256 or RSA_2048', { field: 'keySpec' });
    }
    return { kind: 'vault', keySpec };
  }

  /**
   * Sub-agent rule (docs/api.md §3). An unknown parent answers NOT_FOUND (lookups are tenant-scoped, so another
   * tenant's certificate is unknown too); a parent that is revoked, below a revoked certificate, expired or not yet
   * valid answers SCOPE_EXCEEDS_PARENT, as does a scope or notAfter outside the parent's.
   */
  private async narrow(
    tenantId: string,
    parentFingerprint: string | undefined,
    scope: Scope,
    validity: { notAfter: number; field: 'validityDays' | 'validityHours' },
    now: number,
  ): Promise<Lineage> {
    if (parentFingerprint === undefined) return { ancestors: [] };
    const parent = await callPort('certificate store', () => this.deps.certificates.get(tenantId, parentFingerprint));
    if (!parent) throw new KakuninError('NOT_FOUND', 'parent certificate not found', { field: 'parentFingerprint' });
    if (parent.ancestors.length + 1 > MAX_DELEGATION_DEPTH) {
      throw exceeds(`sub-agent chains are at most ${MAX_DELEGATION_DEPTH} certificates deep`, 'parentFingerprint');
    }
    const above = ancestorFingerprints(parent);
    const ancestors = above.length
      ? await callPort('certificate store', () => this.deps.certificates.getMany(tenantId, above))
      : [];
    const state = certificateState(parent, ancestors, now);
    if (!state.valid) throw exceeds(`the parent certificate is not valid (${state.reason})`, 'parentFingerprint');
    const violation = checkNarrowing(scope, parent.scope);
    if (violation !== undefined) throw exceeds(violation, violation.split(':')[0]);
    if (validity.notAfter > parent.notAfter) throw exceeds('notAfter exceeds the parent certificate', validity.field);
    return { parentFingerprint, ancestors: [...parent.ancestors, parent.fingerprint] };
  }

  private async createVaultKey(binding: { keySpec: KeySpec }, request: IssueCertificateRequest): Promise<SubjectKey> {
    const { vault } = this.deps;
    const tags = { tenantId: request.tenantId, purpose: 'agent' as const, agentId: request.agent.id };
    const keyRef = await callPort('key vault', () => vault.createKey(binding.keySpec, tags));
    try {
      const spki = new Uint8Array(await callPort('key vault', () => vault.getPublicKey(keyRef)));
      const algorithm = classifyPublicKey(spki);
      if (algorithm === undefined) throw new KakuninError('UNAVAILABLE', 'the key vault returned an unexpected key');
      return { spki, algorithm, keyRef, keySpec: binding.keySpec };
    } catch (error) {
      await this.discardKey(keyRef);
      throw error;
    }
  }

  /**
   * Best effort: the issuance fails either way with its own error. A key whose deletion could not be scheduled stays
   * tagged `kakunin:purpose=agent` with no certificate naming it (docs/key-vault.md, "Orphaned keys").
   */
  private async discardKey(keyRef: string): Promise<void> {
    try {
      await this.deps.vault.scheduleDeletion(keyRef);
    } catch {
      // nothing more to do here; the original failure is what the caller needs
    }
  }

  private record(
    request: IssueCertificateRequest,
    pem: string,
    der: Uint8Array,
    key: SubjectKey,
    scope: Scope,
    lineage: Lineage,
    times: { serialNumber: string; notBefore: number; notAfter: number },
    now: number,
  ): CertificateRecord {
    const publicKeyPem = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' })
      .export({ format: 'pem', type: 'spki' })
      .toString();
    return {
      tenantId: request.tenantId,
      fingerprint: certificateFingerprint(der),
      serialNumber: times.serialNumber,
      agentId: request.agent.id,
      pem,
      publicKeyPem,
      publicKeyAlgorithm: key.algorithm,
      scope,
      notBefore: times.notBefore,
      notAfter: times.notAfter,
      ...(lineage.parentFingerprint === undefined ? {} : { parentFingerprint: lineage.parentFingerprint }),
      ancestors: lineage.ancestors,
      ...(key.keyRef === undefined ? {} : { keyRef: key.keyRef, keySpec: key.keySpec }),
      status: 'active',
      createdAt: now,
    };
  }
}
