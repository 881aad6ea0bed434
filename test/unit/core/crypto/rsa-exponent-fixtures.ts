/**
 * RSA keys with hostile public exponents, and what an attacker can do with e = 1 without any private key: the
 * PKCS#1 v1.5 "signature" of a message is its own encoded digest, so it verifies under the key.
 */
import 'reflect-metadata';
import { createHash, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';

const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

const modulus = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' }).n as string;

/** A 2048-bit RSA public key with the given exponent (no private key exists for e = 1 or an even e). */
export function rsaKeyWithExponent(exponent: bigint): KeyObject {
  let hex = exponent.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return createPublicKey({
    key: { kty: 'RSA', n: modulus, e: Buffer.from(hex, 'hex').toString('base64url') },
    format: 'jwk',
  });
}

/** EMSA-PKCS1-v1_5 encoding of SHA-256(data) for a 2048-bit modulus: the valid e = 1 signature of `data`. */
export function forgedE1Signature(data: Uint8Array): Uint8Array {
  const digestInfo = Buffer.concat([SHA256_DIGEST_INFO_PREFIX, createHash('sha256').update(data).digest()]);
  const padding = Buffer.alloc(256 - 3 - digestInfo.length, 0xff);
  return new Uint8Array(Buffer.concat([Buffer.from([0, 1]), padding, Buffer.from([0]), digestInfo]));
}

/** A PKCS#10 request for the e = 1 key whose self-signature verifies although nobody holds a private key. */
export function forgedE1Csr(): string {
  const spki = rsaKeyWithExponent(1n).export({ format: 'der', type: 'spki' });
  const info = new CertificationRequestInfo({
    subject: new Name(),
    subjectPKInfo: AsnConvert.parse(spki, SubjectPublicKeyInfo),
  });
  const tbs = new Uint8Array(AsnConvert.serialize(info));
  const request = new CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
    signature: forgedE1Signature(tbs).slice().buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(request)).toString('base64');
  const lines = der.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines.join('\n')}\n-----END CERTIFICATE REQUEST-----\n`;
}
