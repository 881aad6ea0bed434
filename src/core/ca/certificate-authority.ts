/**
 * The certificate authority service (issue 2). Issuance is a pipeline in the manner of smallstep's signX509:
 * key binding → template → scope validation → sub-agent narrowing → sign through the vault → parse back and check →
 * store. Every private key involved stays in the KeyVault.
 */
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import {
  AuthorityKeyIdentifierExtension,
  Extension,
  SubjectKeyIdentifierExtension,
  X509CrlGenerator,
} from '@peculiar/x509';
import type { CaStore, CertificateStore, Clock, CrlStore, KeyVault, PublishedCrl, Random } from '../../ports.js';
import { KakuninError, notFound } from '../errors.js';
import type { CertificateRecord, RevocationReason } from '../model.js';
import { DEFAULT_SCOPE_OID, registerScopeExtension } from '../scope/scope-extension.js';
import type {
  CertificateAuthorityService,
  CertificateState,
  IssueCertificateRequest,
  IssuedCertificate,
} from '../services.js';
import { ancestorFingerprints } from '../verification/certificate-check.js';
import { callPort } from '../verification/port-call.js';
import { CaHierarchy } from './ca-hierarchy.js';
import { certificateState } from './certificate-state.js';
import { collectCrlEntries } from './crl-entries.js';
import { CrlPublisher, ProcessLocalCrlStore, type SignedCrl } from './crl-publisher.js';
import { IssuancePipeline } from './issuance-pipeline.js';
import { DAY_MS, toWholeSeconds } from './validity.js';
import { createVaultCrypto } from './vault-crypto.js';

export interface CertificateAuthorityConfig {
  /** OID of the scope extension. @default '1.3.6.1.4.1.32473.1.1' (documentation PEN; see docs/ca.md) */
  scopeOid?: string;
  /** CRL distribution point written into agent certificates, e.g. `https://api.example/v1/crl?tenant=${id}`. */
  crlUrl: (tenantId: string) => string;
  /** @default 20 */
  rootValidityYears?: number;
  /** @default 5 (clamped to the root's notAfter) */
  issuingValidityYears?: number;
  /** nextUpdate − thisUpdate of generated CRLs. @default 24 h */
  crlValidityMs?: number;
}

export interface CertificateAuthorityDeps {
  vault: KeyVault;
  caStore: CaStore;
  certificates: CertificateStore;
  clock: Clock;
  random: Random;
  config: CertificateAuthorityConfig;
  /** Where published CRLs are kept. @default this process's memory (a CRL signed per process and refresh) */
  crls?: CrlStore;
}

export class CertificateAuthority implements CertificateAuthorityService {
  private readonly hierarchy: CaHierarchy;
  private readonly pipeline: IssuancePipeline;
  private readonly crypto: Crypto;
  private readonly crls: CrlPublisher;

  constructor(private readonly deps: CertificateAuthorityDeps) {
    const scopeOid = deps.config.scopeOid ?? DEFAULT_SCOPE_OID;
    registerScopeExtension(scopeOid);
    this.crypto = createVaultCrypto(deps.vault);
    this.hierarchy = new CaHierarchy({
      ...deps,
      crypto: this.crypto,
      rootValidityYears: deps.config.rootValidityYears ?? 20,
      issuingValidityYears: deps.config.issuingValidityYears ?? 5,
    });
    this.pipeline = new IssuancePipeline({ ...deps, crypto: this.crypto, hierarchy: this.hierarchy, scopeOid });
    this.crls = new CrlPublisher({
      sign: (tenantId) => this.signCrl(tenantId),
      caStore: deps.caStore,
      crls: deps.crls ?? new ProcessLocalCrlStore(),
      clock: deps.clock,
    });
  }

  async ensureRoot(): Promise<void> {
    await this.hierarchy.rootCa();
  }

  async ensureTenant(tenantId: string): Promise<void> {
    await this.hierarchy.issuingCa(tenantId);
  }

  issue(request: IssueCertificateRequest): Promise<IssuedCertificate> {
    return this.pipeline.issue(request);
  }

  async state(tenantId: string, fingerprint: string): Promise<{ record: CertificateRecord; state: CertificateState }> {
    const record = await callPort('certificate store', () => this.deps.certificates.get(tenantId, fingerprint));
    if (!record) throw notFound('certificate');
    const above = ancestorFingerprints(record);
    const ancestors = above.length
      ? await callPort('certificate store', () => this.deps.certificates.getMany(tenantId, above))
      : [];
    return { record, state: certificateState(record, ancestors, this.deps.clock.now()) };
  }

  async revoke(
    tenantId: string,
    fingerprint: string,
    reason: RevocationReason,
  ): Promise<{ revokedAt: number; reason: RevocationReason; changed: boolean }> {
    const result = await this.deps.certificates.revoke(tenantId, fingerprint, reason, this.deps.clock.now());
    // After the revocation is stored: a published CRL with a lower revision is not served any more (crl-publisher.ts).
    // Every request bumps, a repeated one too, so a retry after a failed bump still makes the CRL current.
    const revision = await callPort('certificate authority store', () => this.deps.caStore.bumpCrlRevision(tenantId));
    try {
      await this.crls.publish(tenantId, revision);
    } catch {
      // The revocation stands; the stored CRL is now behind the revision, so the next GET /v1/crl signs one first.
    }
    return { revokedAt: result.revokedAt, reason: result.reason, changed: result.changed };
  }

  /** The tenant's published CRL, signed anew only after a revocation or past half its validity. */
  currentCrl(tenantId: string): Promise<PublishedCrl> {
    return this.crls.current(tenantId);
  }

  /** For the schedule: re-signs the tenant's CRL when it is due or behind a revocation; true when it signed. */
  refreshCrlIfDue(tenantId: string): Promise<boolean> {
    return this.crls.refreshIfDue(tenantId);
  }

  /** For the schedule: refreshes every published CRL that is due or behind a revocation. */
  refreshPublishedCrls(): Promise<{ tenants: number; signed: number; failed: string[] }> {
    return this.crls.refreshAll();
  }

  /** A newly signed CRL (see `signCrl`), DER. */
  async crl(tenantId: string): Promise<Uint8Array> {
    return (await this.signCrl(tenantId)).der;
  }

  /** Signed by the issuing CA through the vault: CRL number, AKI, thisUpdate = now, nextUpdate = now + 24 h. */
  private async signCrl(tenantId: string): Promise<SignedCrl> {
    const issuing = await callPort('certificate authority store', () => this.hierarchy.issuingCa(tenantId));
    // thisUpdate and the CRL number are fixed BEFORE the revocations are read, so a CRL lists every revocation made
    // before its thisUpdate, and a CRL with a higher number started its read later. Read first and number second,
    // a slow reader could publish CRL n+1 without a revocation that CRL n (and its own thisUpdate) already covered.
    const thisUpdate = toWholeSeconds(this.deps.clock.now());
    const crlNumber = await callPort('certificate authority store', () => this.deps.caStore.nextCrlNumber(tenantId));
    if (typeof crlNumber !== 'bigint' || crlNumber < 1n || crlNumber > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new KakuninError('UNAVAILABLE', 'CRL number out of range');
    }
    const entries = await callPort('certificate store', () => collectCrlEntries(this.deps.certificates, tenantId));
    const ski = issuing.certificate.getExtension(SubjectKeyIdentifierExtension);
    if (!ski) throw new KakuninError('UNAVAILABLE', 'issuing CA has no subject key identifier');
    const nextUpdate = thisUpdate + (this.deps.config.crlValidityMs ?? DAY_MS);
    const crl = await X509CrlGenerator.create(
      {
        issuer: issuing.certificate.subjectName,
        thisUpdate: new Date(thisUpdate),
        nextUpdate: new Date(nextUpdate),
        signingKey: issuing.key,
        signingAlgorithm: issuing.key.x509SigningAlgorithm,
        extensions: [
          new AuthorityKeyIdentifierExtension(ski.keyId, false),
          new Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(Number(crlNumber)))),
        ],
        entries: entries.map((entry) => ({
          serialNumber: entry.serialNumber,
          revocationDate: new Date(toWholeSeconds(entry.revokedAt)),
          reason: entry.reason,
        })),
      },
      this.crypto,
    );
    return { der: new Uint8Array(crl.rawData), crlNumber, thisUpdate, nextUpdate };
  }

  async chainPem(tenantId: string): Promise<string> {
    const issuing = await this.hierarchy.issuingCa(tenantId);
    const root = await this.hierarchy.rootCa();
    return `${issuing.record.certPem.trim()}\n${root.record.certPem.trim()}\n`;
  }
}
