/**
 * `checkRevocation` (docs/api.md §10): the RFC 5280 §6.3 CRL check, usable alone and used by the offline verifier.
 * `good` only when every step is established; anything not established is `unknown`, never `good` (fail closed):
 * - the CRL parses and is a complete CRL (no delta CRL indicator), v2 with a non-critical CRL number (§5.2.3);
 * - its issuer name matches the certificate's issuer and the issuer certificate's subject (§6.3.3 b, f);
 * - its AKI, when present, matches the issuer's SKI; the issuer may sign CRLs (keyUsage cRLSign, §6.3.3 f);
 * - its signature verifies with the issuer's key (§6.3.3 g);
 * - no critical CRL or entry extension it does not understand (§5.2, §5.3), no indirect CRL (certificateIssuer);
 * - thisUpdate is not in the future, nextUpdate is present and not past, and the CRL is at most `maxCrlAgeMs` old;
 * - an issuing distribution point, if any, covers the certificate (§5.2.5: user/CA only flags, reasons, DP name).
 * Then the certificate is `revoked` (with its reason code) when its serial is listed, else `good`.
 */
// Before @peculiar/x509 (its tsyringe container needs the Reflect polyfill at load time).
import 'reflect-metadata';
import { AsnConvert } from '@peculiar/asn1-schema';
import {
  CRLDistributionPoints,
  type DistributionPointName,
  IssuingDistributionPoint,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_certificateIssuer,
  id_ce_cRLDistributionPoints,
  id_ce_cRLNumber,
  id_ce_cRLReasons,
  id_ce_deltaCRLIndicator,
  id_ce_invalidityDate,
  id_ce_issuingDistributionPoint,
} from '@peculiar/asn1-x509';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
  type X509Crl,
  X509CrlReason,
} from '@peculiar/x509';
import { parseCertificate, parseCrl, sameName } from './parse.js';

export type RevocationStatus = 'good' | 'revoked' | 'unknown';

export interface RevocationResult {
  status: RevocationStatus;
  /** For `revoked`: the RFC 5280 reason name (`keyCompromise`, `privilegeWithdrawn`…); for `unknown`: why. */
  reason?: string;
}

export interface CheckRevocationInput {
  /** The certificate to check (PEM, or a parsed certificate). */
  certificate: string | X509Certificate;
  /** The certificate of its issuer, which must have signed the CRL (PEM, or parsed). */
  issuer: string | X509Certificate;
  /** The CRL, DER bytes or PEM text. */
  crl: Uint8Array | string | X509Crl;
  /** @default now */
  at?: Date | number;
  /** Maximum age from thisUpdate. @default 86_400_000 (24 h); Infinity to rely on nextUpdate alone */
  maxCrlAgeMs?: number;
}

export const DEFAULT_MAX_CRL_AGE_MS = 86_400_000;

const UNDERSTOOD_CRL_EXTENSIONS = new Set([
  id_ce_authorityKeyIdentifier,
  id_ce_cRLNumber,
  id_ce_issuingDistributionPoint,
]);
const UNDERSTOOD_ENTRY_EXTENSIONS = new Set([id_ce_cRLReasons, id_ce_invalidityDate]);

const unknown = (reason: string): RevocationResult => ({ status: 'unknown', reason });

/** Static checks of a CRL against its issuer, independent of the certificate; undefined when all pass. */
export async function checkCrlIssuer(crl: X509Crl, issuer: X509Certificate): Promise<RevocationResult | undefined> {
  if (crl.version !== 1) return unknown('CRL is not version 2');
  if (!sameName(crl.issuerName, issuer.subjectName)) return unknown('CRL issuer is not the certificate issuer');
  const keyUsage = issuer.getExtension(KeyUsagesExtension);
  if (keyUsage !== null && (keyUsage.usages & KeyUsageFlags.cRLSign) === 0) return unknown('issuer may not sign CRLs');
  const aki = crl.getExtension(AuthorityKeyIdentifierExtension);
  const ski = issuer.getExtension(SubjectKeyIdentifierExtension);
  if (aki?.keyId !== undefined && ski !== null && aki.keyId !== ski.keyId) return unknown('CRL AKI does not match');
  const numbers = crl.extensions.filter((extension) => extension.type === id_ce_cRLNumber);
  if (numbers.length !== 1 || numbers[0]?.critical) return unknown('CRL number missing or critical');
  for (const extension of crl.extensions) {
    if (extension.type === id_ce_deltaCRLIndicator) return unknown('delta CRLs are not supported');
    if (extension.critical && !UNDERSTOOD_CRL_EXTENSIONS.has(extension.type)) {
      return unknown(`unhandled critical CRL extension ${extension.type}`);
    }
  }
  for (const entry of crl.entries) {
    for (const extension of entry.extensions) {
      if (extension.type === id_ce_certificateIssuer) return unknown('indirect CRLs are not supported');
      if (extension.critical && !UNDERSTOOD_ENTRY_EXTENSIONS.has(extension.type)) {
        return unknown(`unhandled critical CRL entry extension ${extension.type}`);
      }
    }
  }
  let signed = false;
  try {
    // The key itself: given the certificate, the library verifies with the algorithm the certificate was signed with.
    signed = await crl.verify({ publicKey: issuer.publicKey });
  } catch {
    signed = false;
  }
  return signed ? undefined : unknown('CRL signature does not verify with the issuer key');
}

/** thisUpdate/nextUpdate/age at `at`; undefined when current. */
export function checkCrlTimes(crl: X509Crl, at: number, maxCrlAgeMs: number): RevocationResult | undefined {
  const thisUpdate = crl.thisUpdate.getTime();
  if (thisUpdate > at) return unknown('CRL thisUpdate is in the future');
  if (crl.nextUpdate === undefined) return unknown('CRL has no nextUpdate');
  if (crl.nextUpdate.getTime() < at) return unknown('CRL is past its nextUpdate');
  if (at - thisUpdate > maxCrlAgeMs) return unknown('CRL is older than the maximum age');
  return undefined;
}

const dpNames = (name: DistributionPointName | undefined): string[] =>
  (name?.fullName ?? []).map((general) => JSON.stringify(general));

/** §5.2.5: does the CRL's issuing distribution point cover `certificate`? */
export function idpCovers(crl: X509Crl, certificate: X509Certificate): RevocationResult | undefined {
  const extension = crl.extensions.find((candidate) => candidate.type === id_ce_issuingDistributionPoint);
  if (extension === undefined) return undefined;
  let idp: IssuingDistributionPoint;
  try {
    idp = AsnConvert.parse(extension.value, IssuingDistributionPoint);
  } catch {
    return unknown('malformed issuing distribution point');
  }
  const isCa = certificate.getExtension(BasicConstraintsExtension)?.ca === true;
  if (idp.indirectCRL) return unknown('indirect CRLs are not supported');
  if (idp.onlyContainsAttributeCerts) return unknown('CRL covers attribute certificates only');
  if (idp.onlyContainsCACerts && !isCa) return unknown('CRL covers CA certificates only');
  if (idp.onlyContainsUserCerts && isCa) return unknown('CRL covers end-entity certificates only');
  if (idp.onlySomeReasons !== undefined) return unknown('CRL covers only some reasons');
  if (idp.distributionPoint?.nameRelativeToCRLIssuer !== undefined) return unknown('relative DP names unsupported');
  const idpNames = dpNames(idp.distributionPoint);
  const certDp = certificate.extensions.find((candidate) => candidate.type === id_ce_cRLDistributionPoints);
  if (idpNames.length === 0 || certDp === undefined) return undefined;
  try {
    const points = AsnConvert.parse(certDp.value, CRLDistributionPoints);
    const certNames = new Set(points.flatMap((point) => dpNames(point.distributionPoint)));
    return idpNames.some((name) => certNames.has(name)) ? undefined : unknown('CRL does not cover this certificate');
  } catch {
    return unknown('malformed CRL distribution points');
  }
}

/** The serial-number lookup alone, after the CRL itself was checked. */
export function lookUpSerial(crl: X509Crl, certificate: X509Certificate): RevocationResult {
  const covered = idpCovers(crl, certificate);
  if (covered !== undefined) return covered;
  const entry = crl.findRevoked(certificate);
  if (entry === null) return { status: 'good' };
  const reason = entry.reason === undefined ? 'unspecified' : X509CrlReason[entry.reason];
  if (reason === 'removeFromCRL') return unknown('removeFromCRL belongs in delta CRLs');
  return { status: 'revoked', reason: reason ?? 'unspecified' };
}

export async function checkRevocation(input: CheckRevocationInput): Promise<RevocationResult> {
  let certificate: X509Certificate;
  let issuer: X509Certificate;
  let crl: X509Crl;
  try {
    certificate = typeof input.certificate === 'string' ? parseCertificate(input.certificate) : input.certificate;
    issuer = typeof input.issuer === 'string' ? parseCertificate(input.issuer) : input.issuer;
    crl = typeof input.crl === 'string' || input.crl instanceof Uint8Array ? parseCrl(input.crl) : input.crl;
  } catch {
    return unknown('certificate, issuer or CRL does not parse');
  }
  if (!sameName(certificate.issuerName, issuer.subjectName)) return unknown('issuer did not issue this certificate');
  if (
    issuer.getExtension(BasicConstraintsExtension)?.ca !== true &&
    issuer.extensions.some((e) => e.type === id_ce_basicConstraints)
  ) {
    return unknown('issuer is not a CA');
  }
  const at = input.at === undefined ? Date.now() : new Date(input.at).getTime();
  if (!Number.isFinite(at)) return unknown('invalid time');
  const failure =
    checkCrlTimes(crl, at, input.maxCrlAgeMs ?? DEFAULT_MAX_CRL_AGE_MS) ?? (await checkCrlIssuer(crl, issuer));
  return failure ?? lookUpSerial(crl, certificate);
}
