/**
 * Root and per-tenant issuing CAs: created on first use through the KeyVault, stored with conditional writes so a
 * race between two creators leaves exactly one winner (the loser's vault key is simply never used).
 */
import 'reflect-metadata';
import type { X509Certificate } from '@peculiar/x509';
import type { CaStore, Clock, KeyVault, Random } from '../../ports.js';
import { certificateFingerprint } from '../crypto/fingerprint.js';
import { DependencyError } from '../errors.js';
import type { CaRecord, KeySpec } from '../model.js';
import { buildIssuingCertificate, buildRootCertificate, parseCertificate } from './certificate-profiles.js';
import { randomSerialNumber } from './serial-number.js';
import { addYears, toWholeSeconds } from './validity.js';
import { VaultCryptoKey } from './vault-crypto.js';

/** Root key: RSA-4096, the strongest spec KMS offers for RSA, for a key that signs rarely and lives 20 years. */
export const ROOT_KEY_SPEC: KeySpec = 'RSA_4096';
/** Issuing keys: P-256 (see docs/ca.md: fast KMS signing, 64-byte signatures, small agent certificates). */
export const ISSUING_KEY_SPEC: KeySpec = 'ECC_NIST_P256';
/** Tag value naming the deployment rather than a tenant on the root key. */
export const ROOT_KEY_TENANT = '*';

export interface LoadedCa {
  record: CaRecord;
  certificate: X509Certificate;
  key: VaultCryptoKey;
}

export interface HierarchyDeps {
  vault: KeyVault;
  caStore: CaStore;
  clock: Clock;
  random: Random;
  crypto: Crypto;
  rootValidityYears: number;
  issuingValidityYears: number;
}

function load(record: CaRecord): LoadedCa {
  return {
    record,
    certificate: parseCertificate(record.certPem),
    key: new VaultCryptoKey(record.keyId, record.keySpec),
  };
}

function caRecord(keyId: string, keySpec: KeySpec, certificate: X509Certificate): CaRecord {
  return {
    keyId,
    keySpec,
    certPem: certificate.toString('pem'),
    fingerprint: certificateFingerprint(new Uint8Array(certificate.rawData)),
    notBefore: certificate.notBefore.getTime(),
    notAfter: certificate.notAfter.getTime(),
  };
}

export class CaHierarchy {
  private root: LoadedCa | undefined;
  private readonly issuing = new Map<string, LoadedCa>();

  constructor(private readonly deps: HierarchyDeps) {}

  async rootCa(): Promise<LoadedCa> {
    if (this.root) return this.root;
    const { vault, caStore, clock, random, crypto } = this.deps;
    const stored = await caStore.getRoot();
    if (stored) {
      this.root = load(stored);
      return this.root;
    }
    const keyId = await vault.createKey(ROOT_KEY_SPEC, { tenantId: ROOT_KEY_TENANT, purpose: 'root-ca' });
    const spki = new Uint8Array(await vault.getPublicKey(keyId));
    const notBefore = toWholeSeconds(clock.now());
    const certificate = await buildRootCertificate(
      {
        serialNumber: randomSerialNumber(random),
        notBefore,
        notAfter: addYears(notBefore, this.deps.rootValidityYears),
        spki,
        signingKey: new VaultCryptoKey(keyId, ROOT_KEY_SPEC),
      },
      crypto,
    );
    const winner = await caStore.putRoot(caRecord(keyId, ROOT_KEY_SPEC, certificate));
    this.root = load(winner);
    return this.root;
  }

  async issuingCa(tenantId: string): Promise<LoadedCa> {
    const cached = this.issuing.get(tenantId);
    if (cached) return cached;
    const { vault, caStore, clock, random, crypto } = this.deps;
    const stored = await caStore.getTenant(tenantId);
    if (stored) return this.remember(tenantId, load(stored.issuingCa));
    const root = await this.rootCa();
    const now = clock.now();
    if (now >= root.record.notAfter) throw new DependencyError('the root CA has expired');
    const keyId = await vault.createKey(ISSUING_KEY_SPEC, { tenantId, purpose: 'issuing-ca' });
    const spki = new Uint8Array(await vault.getPublicKey(keyId));
    const notBefore = toWholeSeconds(now);
    // Nothing outlives its issuer: the issuing CA is clamped to the root's notAfter.
    const notAfter = Math.min(addYears(notBefore, this.deps.issuingValidityYears), root.record.notAfter);
    const certificate = await buildIssuingCertificate(
      {
        serialNumber: randomSerialNumber(random),
        notBefore,
        notAfter,
        tenantId,
        spki,
        root: root.certificate,
        rootKey: root.key,
      },
      crypto,
    );
    const winner = await caStore.putTenant({
      id: tenantId,
      createdAt: now,
      issuingCa: caRecord(keyId, ISSUING_KEY_SPEC, certificate),
    });
    return this.remember(tenantId, load(winner.issuingCa));
  }

  private remember(tenantId: string, loaded: LoadedCa): LoadedCa {
    this.issuing.set(tenantId, loaded);
    return loaded;
  }
}
