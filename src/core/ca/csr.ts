/**
 * PKCS#10 intake: proof of possession and key policy. Only ECDSA P-256 and RSA 2048–4096 keys are accepted (the
 * algorithms action signatures are verified with, docs/api.md §3/§4); everything else, and any parse or signature
 * failure, is INVALID_CSR. Nothing from the CSR but its public key is used: subject, extensions and attributes the
 * requester asked for are ignored, the CA builds the certificate from its own template.
 */
import 'reflect-metadata';
import { createPublicKey, webcrypto } from 'node:crypto';
import { Pkcs10CertificateRequest } from '@peculiar/x509';
import { agentKeyKind } from '../crypto/key-policy.js';
import { KakuninError } from '../errors.js';
import type { PublicKeyAlgorithm } from '../model.js';

export interface CsrKey {
  /** SubjectPublicKeyInfo DER of the requester's key. */
  spki: Uint8Array<ArrayBuffer>;
  algorithm: PublicKeyAlgorithm;
}

const MAX_CSR_PEM_LENGTH = 16_384;
const invalidCsr = (message: string, cause?: unknown): KakuninError =>
  new KakuninError('INVALID_CSR', message, { field: 'csr', cause });

/** Classifies a public key; undefined for any key the project does not accept. */
export function classifyPublicKey(spki: Uint8Array): PublicKeyAlgorithm | undefined {
  try {
    return agentKeyKind(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
  } catch {
    return undefined;
  }
}

/** Parses a PEM CSR, checks its key policy and its self-signature (proof of possession). */
export async function readCsr(pem: string): Promise<CsrKey> {
  if (typeof pem !== 'string' || pem.length > MAX_CSR_PEM_LENGTH || !pem.includes('CERTIFICATE REQUEST')) {
    throw invalidCsr('csr must be a PEM PKCS#10 certificate request');
  }
  let csr: Pkcs10CertificateRequest;
  try {
    csr = new Pkcs10CertificateRequest(pem.trim());
  } catch (error) {
    throw invalidCsr('csr is not a parsable PKCS#10 request', error);
  }
  const spki = new Uint8Array(csr.publicKey.rawData);
  const algorithm = classifyPublicKey(spki);
  if (algorithm === undefined) {
    throw invalidCsr('csr key must be ECDSA P-256, or RSA 2048-4096 with an odd exponent 2^16 < e < 2^256');
  }
  let verified = false;
  try {
    verified = await csr.verify(webcrypto as Crypto);
  } catch (error) {
    throw invalidCsr('csr signature cannot be verified', error);
  }
  if (!verified) throw invalidCsr('csr signature does not verify (no proof of possession)');
  return { spki, algorithm };
}
