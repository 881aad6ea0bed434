/**
 * The one key policy for agent keys (docs/api.md §3/§4): ECDSA on P-256, or RSA with a 2048–4096-bit modulus and a sane
 * public exponent. Shared by CSR intake, the signer and the verifier so that no path accepts a key another refuses.
 *
 * Why the exponent matters: with e = 1 the "signature" of any message is its own PKCS#1 v1.5 encoding, so anyone can
 * forge actions (and the CSR's proof of possession) without the private key; an even e is not an RSA key at all.
 * FIPS 186-4 §B.3.1 requires an odd e with 2^16 < e < 2^256, which every mainstream tool and KMS (e = 65537) meets.
 */
import type { KeyObject } from 'node:crypto';
import type { PublicKeyAlgorithm } from '../model.js';

export const RSA_MIN_BITS = 2048;
export const RSA_MAX_BITS = 4096;
const RSA_MIN_EXPONENT = 65_537n;
const RSA_EXPONENT_BOUND = 1n << 256n;

/** The certificate record's `publicKeyAlgorithm`: which verification the key gets. */
export type AgentKeyKind = PublicKeyAlgorithm;

/** True for an odd public exponent with 2^16 < e < 2^256 (FIPS 186-4). */
export function isSaneRsaExponent(exponent: bigint | undefined): boolean {
  return (
    exponent !== undefined && exponent % 2n === 1n && exponent >= RSA_MIN_EXPONENT && exponent < RSA_EXPONENT_BOUND
  );
}

/** The kind of an acceptable agent key (public or private), or undefined for any key the project refuses. */
export function agentKeyKind(key: KeyObject): AgentKeyKind | undefined {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'ec') return details?.namedCurve === 'prime256v1' ? 'ECDSA_P256' : undefined;
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details?.modulusLength ?? 0;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) return undefined;
    return isSaneRsaExponent(details?.publicExponent) ? 'RSA' : undefined;
  }
  return undefined;
}
