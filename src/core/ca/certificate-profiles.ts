/**
 * The three certificate profiles (docs/ca.md has the table): root CA, tenant issuing CA, agent. Each builder takes
 * the vault-backed Crypto and a VaultCryptoKey for the issuer, so the signature is produced inside the KeyVault.
 */
import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  CRLDistributionPointsExtension,
  type Extension,
  GeneralName,
  type JsonName,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  SubjectKeyIdentifierExtension,
  X509Certificate,
  X509CertificateGenerator,
} from '@peculiar/x509';
import type { Scope } from '../model.js';
import { ScopeExtension } from '../scope/scope-extension.js';
import type { VaultCryptoKey } from './vault-crypto.js';

export const ROOT_SUBJECT: JsonName = [{ CN: ['Kakunin Root CA'] }, { O: ['Kakunin'] }];
export const issuingSubject = (tenantId: string): JsonName => [
  { CN: [`Kakunin Issuing CA ${tenantId}`] },
  { O: ['Kakunin'] },
];
export const agentUri = (agentId: string): string => `urn:kakunin:agent:${agentId}`;

interface Validity {
  serialNumber: string;
  notBefore: number;
  notAfter: number;
}

const caKeyUsage = () => new KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true);

async function keyIds(spki: Uint8Array<ArrayBuffer>, crypto: Crypto) {
  return SubjectKeyIdentifierExtension.create(spki, false, crypto);
}

/** Self-signed root: CA:TRUE pathLen 1 (root → issuing → agent), keyCertSign|cRLSign, SKI, AKI = own SKI. */
export async function buildRootCertificate(
  params: Validity & { spki: Uint8Array<ArrayBuffer>; signingKey: VaultCryptoKey },
  crypto: Crypto,
): Promise<X509Certificate> {
  const ski = await keyIds(params.spki, crypto);
  return X509CertificateGenerator.create(
    {
      serialNumber: params.serialNumber,
      subject: ROOT_SUBJECT,
      issuer: ROOT_SUBJECT,
      notBefore: new Date(params.notBefore),
      notAfter: new Date(params.notAfter),
      publicKey: params.spki,
      signingKey: params.signingKey,
      signingAlgorithm: params.signingKey.x509SigningAlgorithm,
      extensions: [
        new BasicConstraintsExtension(true, 1, true),
        caKeyUsage(),
        ski,
        new AuthorityKeyIdentifierExtension(ski.keyId, false),
      ],
    },
    crypto,
  );
}

/** Extensions every certificate signed by `issuer` carries: AKI (issuer's SKI) and SKI of the subject key. */
async function issuedKeyIds(issuer: X509Certificate, spki: Uint8Array<ArrayBuffer>, crypto: Crypto) {
  const issuerSki = issuer.getExtension(SubjectKeyIdentifierExtension);
  if (!issuerSki) throw new Error('issuer certificate has no subject key identifier');
  return [new AuthorityKeyIdentifierExtension(issuerSki.keyId, false), await keyIds(spki, crypto)];
}

/** Tenant issuing CA: CA:TRUE pathLen 0, keyCertSign|cRLSign, AKI+SKI; signed by the root. */
export async function buildIssuingCertificate(
  params: Validity & {
    tenantId: string;
    spki: Uint8Array<ArrayBuffer>;
    root: X509Certificate;
    rootKey: VaultCryptoKey;
  },
  crypto: Crypto,
): Promise<X509Certificate> {
  return X509CertificateGenerator.create(
    {
      serialNumber: params.serialNumber,
      subject: issuingSubject(params.tenantId),
      issuer: params.root.subjectName,
      notBefore: new Date(params.notBefore),
      notAfter: new Date(params.notAfter),
      publicKey: params.spki,
      signingKey: params.rootKey,
      signingAlgorithm: params.rootKey.x509SigningAlgorithm,
      extensions: [
        new BasicConstraintsExtension(true, 0, true),
        caKeyUsage(),
        ...(await issuedKeyIds(params.root, params.spki, crypto)),
      ],
    },
    crypto,
  );
}

/** Agent profile, docs/api.md §3: CN, SAN URI, KU digitalSignature (critical), CA:FALSE, AKI, SKI, scope, CRL DP. */
export async function buildAgentCertificate(
  params: Validity & {
    agentId: string;
    agentName: string;
    spki: Uint8Array<ArrayBuffer>;
    scope: Scope;
    scopeOid: string;
    crlUrl: string;
    issuer: X509Certificate;
    issuerKey: VaultCryptoKey;
  },
  crypto: Crypto,
): Promise<X509Certificate> {
  const extensions: Extension[] = [
    new BasicConstraintsExtension(false, undefined, true),
    new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
    new SubjectAlternativeNameExtension([new GeneralName('url', agentUri(params.agentId)).toJSON()], false),
    ...(await issuedKeyIds(params.issuer, params.spki, crypto)),
    new CRLDistributionPointsExtension([params.crlUrl], false),
    new ScopeExtension(params.scope, params.scopeOid),
  ];
  return X509CertificateGenerator.create(
    {
      serialNumber: params.serialNumber,
      subject: [{ CN: [params.agentName] }],
      issuer: params.issuer.subjectName,
      notBefore: new Date(params.notBefore),
      notAfter: new Date(params.notAfter),
      publicKey: params.spki,
      signingKey: params.issuerKey,
      signingAlgorithm: params.issuerKey.x509SigningAlgorithm,
      extensions,
    },
    crypto,
  );
}

/** Parses DER (or PEM) into a certificate; the caller has registered the scope extension's OID. */
export const parseCertificate = (data: string | Uint8Array<ArrayBuffer>): X509Certificate => new X509Certificate(data);
