/** Parsing of PEM/DER certificates and CRLs through @peculiar/x509 (which needs reflect-metadata loaded first). */
import 'reflect-metadata';
import { Name, X509Certificate, X509Crl } from '@peculiar/x509';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\s]+)-----END \1-----/g;

/** Every PEM block of `label` in `text`, as DER. */
export function pemBlocks(text: string, label: string): Uint8Array<ArrayBuffer>[] {
  const blocks: Uint8Array<ArrayBuffer>[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    if (match[1] === label && match[2] !== undefined) {
      blocks.push(new Uint8Array(Buffer.from(match[2].replace(/\s+/g, ''), 'base64')));
    }
  }
  return blocks;
}

export function parseCertificates(pem: string): X509Certificate[] {
  return pemBlocks(pem, 'CERTIFICATE').map((der) => new X509Certificate(der));
}

export function parseCertificate(pem: string | Uint8Array): X509Certificate {
  if (typeof pem !== 'string') return new X509Certificate(new Uint8Array(pem));
  const [first] = parseCertificates(pem);
  if (first === undefined) throw new TypeError('no PEM certificate found');
  return first;
}

/** A CRL from DER bytes or PEM text (label `X509 CRL`, or a DER CRL handed over as a string of PEM). */
export function parseCrl(crl: Uint8Array | string): X509Crl {
  if (typeof crl !== 'string') return new X509Crl(new Uint8Array(crl));
  const [der] = pemBlocks(crl, 'X509 CRL');
  if (der === undefined) throw new TypeError('no PEM CRL (X509 CRL) found');
  return new X509Crl(der);
}

const sameBytes = (a: ArrayBuffer, b: ArrayBuffer): boolean => Buffer.from(a).equals(Buffer.from(b));

/**
 * RFC 5280 §7.1 name matching, simplified in the safe direction: byte-identical DER, or the same attributes with
 * case and inner whitespace folded (RFC 4518's main rules). Anything else is a different name.
 */
export function sameName(a: Name, b: Name): boolean {
  if (sameBytes(a.toArrayBuffer(), b.toArrayBuffer())) return true;
  const fold = (name: Name) => name.toString().toLowerCase().replace(/\s+/g, ' ').trim();
  return fold(a) === fold(b);
}
