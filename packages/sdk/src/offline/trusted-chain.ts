/**
 * The pinned chain of the offline verifier: the project's own three levels (root → tenant issuing CA → agent
 * certificates, sub-agents signed by the same issuing CA), checked once each, not a general path builder.
 * Signatures are checked with node:crypto; extensions are read with @peculiar/x509.
 */
// Before @peculiar/x509 (its tsyringe container needs the Reflect polyfill at load time).
import 'reflect-metadata';
import { X509Certificate as NodeCertificate } from 'node:crypto';
import {
  BasicConstraintsExtension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectAlternativeNameExtension,
  type X509Certificate,
} from '@peculiar/x509';
import { fingerprintOf } from '../crypto/fingerprint.js';
import { readScope } from '../scope/read-scope.js';
import type { Scope } from '../types.js';
import { parseCertificate, parseCertificates, pemBlocks } from '../x509/parse.js';
import { type KeyKind, keyKind } from './signature.js';

const AGENT_URI = /^urn:kakunin:agent:(a_[0-9a-z]{16,})$/;

export interface AgentCertificate {
  fingerprint: string;
  agentId: string;
  scope: Scope;
  notBefore: number;
  notAfter: number;
  key: NodeCertificate['publicKey'];
  kind: KeyKind;
  certificate: X509Certificate;
}

/** The certificate does not belong to the pinned chain, or is not an agent certificate (→ CERTIFICATE_UNKNOWN). */
export class NotInChainError extends Error {
  override readonly name = 'NotInChainError';
}

const isCa = (certificate: X509Certificate): boolean =>
  certificate.getExtension(BasicConstraintsExtension)?.ca === true;

export class TrustedChain {
  readonly root: X509Certificate;
  readonly issuing: X509Certificate;
  private readonly issuingNode: NodeCertificate;

  /** @throws TypeError when the chain does not hold together (a configuration error, reported at construction). */
  constructor(
    rootPem: string,
    chainPem: string,
    private readonly scopeOid: string,
  ) {
    const rootDer = pemBlocks(rootPem, 'CERTIFICATE');
    if (rootDer.length !== 1 || rootDer[0] === undefined)
      throw new TypeError('rootPem must hold exactly one certificate');
    const rootNode = new NodeCertificate(Buffer.from(rootDer[0]));
    if (!rootNode.checkIssued(rootNode) || !rootNode.verify(rootNode.publicKey)) {
      throw new TypeError('rootPem is not a self-signed root');
    }
    const chain = parseCertificates(chainPem);
    const [issuing, ...rest] = chain;
    if (issuing === undefined) throw new TypeError('chainPem holds no certificate');
    for (const extra of rest) {
      // `GET /v1/ca/chain` appends the root; anything else would be a second trust anchor smuggled in.
      if (!Buffer.from(extra.rawData).equals(Buffer.from(rootDer[0]))) {
        throw new TypeError('chainPem may hold only the issuing CA and the pinned root');
      }
    }
    const issuingNode = new NodeCertificate(Buffer.from(issuing.rawData));
    if (!issuingNode.checkIssued(rootNode) || !issuingNode.verify(rootNode.publicKey) || !isCa(issuing)) {
      throw new TypeError('the issuing CA in chainPem is not a CA signed by the pinned root');
    }
    this.root = parseCertificate(rootPem);
    this.issuing = issuing;
    this.issuingNode = issuingNode;
  }

  /** Validity of the issuing CA at `now`: 'expired', 'not_yet_valid' or undefined. */
  issuingValidity(now: number): 'expired' | 'not_yet_valid' | undefined {
    for (const ca of [this.issuing, this.root]) {
      if (now < ca.notBefore.getTime()) return 'not_yet_valid';
      if (now > ca.notAfter.getTime()) return 'expired';
    }
    return undefined;
  }

  /** Checks that `pem` is an agent certificate the pinned issuing CA signed. @throws NotInChainError */
  admit(pem: string | Uint8Array): AgentCertificate {
    let certificate: X509Certificate;
    let node: NodeCertificate;
    try {
      certificate = parseCertificate(pem);
      node = new NodeCertificate(Buffer.from(certificate.rawData));
    } catch {
      throw new NotInChainError('certificate does not parse');
    }
    if (!node.checkIssued(this.issuingNode) || !node.verify(this.issuingNode.publicKey)) {
      throw new NotInChainError('certificate was not issued by the pinned issuing CA');
    }
    if (isCa(certificate)) throw new NotInChainError('a CA certificate cannot sign actions');
    const usage = certificate.getExtension(KeyUsagesExtension);
    if (usage === null || (usage.usages & KeyUsageFlags.digitalSignature) === 0) {
      throw new NotInChainError('certificate may not sign (keyUsage digitalSignature)');
    }
    const agentId = agentIdOf(certificate);
    let scope: Scope | undefined;
    try {
      scope = readScope(certificate, this.scopeOid);
    } catch {
      throw new NotInChainError('certificate carries a malformed scope extension');
    }
    if (scope === undefined) throw new NotInChainError('certificate carries no scope extension');
    const kind = keyKind(node.publicKey);
    if (kind === undefined) throw new NotInChainError('certificate key is neither ECDSA P-256 nor RSA 2048-4096');
    return {
      fingerprint: fingerprintOf(new Uint8Array(certificate.rawData)),
      agentId,
      scope,
      notBefore: certificate.notBefore.getTime(),
      notAfter: certificate.notAfter.getTime(),
      key: node.publicKey,
      kind,
      certificate,
    };
  }
}

function agentIdOf(certificate: X509Certificate): string {
  const san = certificate.getExtension(SubjectAlternativeNameExtension);
  for (const name of san?.names.items ?? []) {
    const match = name.type === 'url' ? AGENT_URI.exec(name.value) : null;
    if (match?.[1] !== undefined) return match[1];
  }
  throw new NotInChainError('certificate names no agent (SAN urn:kakunin:agent:<id>)');
}
