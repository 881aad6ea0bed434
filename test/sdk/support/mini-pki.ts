/**
 * A small CA for revocation tests: root → issuing CA → leaf, with ECDSA P-256 keys from WebCrypto, and CRLs whose
 * every field a test can bend (times, extensions, signer, entries).
 */
import 'reflect-metadata';
import {
  AuthorityKeyIdentifierExtension,
  BasicConstraintsExtension,
  Extension,
  KeyUsageFlags,
  KeyUsagesExtension,
  SubjectKeyIdentifierExtension,
  type X509Certificate,
  X509CertificateGenerator,
  type X509CrlEntryParams,
  X509CrlGenerator,
} from '@peculiar/x509';

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface Party {
  cert: X509Certificate;
  keys: CryptoKeyPair;
}

const newKeys = () => crypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(2, '0');

export async function makeCa(name: string, issuer?: Party, options: { usages?: KeyUsageFlags; ski?: boolean } = {}) {
  const keys = await newKeys();
  const extensions: Extension[] = [
    new BasicConstraintsExtension(true, undefined, true),
    new KeyUsagesExtension(options.usages ?? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
  ];
  if (options.ski !== false) extensions.push(await SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (issuer !== undefined) extensions.push(await AuthorityKeyIdentifierExtension.create(issuer.cert));
  const cert = await X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${name}`,
    issuer: issuer === undefined ? `CN=${name}` : issuer.cert.subject,
    notBefore: new Date(Date.UTC(2020, 0, 1)),
    notAfter: new Date(Date.UTC(2040, 0, 1)),
    publicKey: keys.publicKey,
    signingKey: (issuer ?? { keys }).keys.privateKey,
    signingAlgorithm: ALG,
    extensions,
  });
  return { cert, keys } satisfies Party;
}

export async function makeLeaf(issuer: Party, extensions: Extension[] = []): Promise<Party> {
  const keys = await newKeys();
  const cert = await X509CertificateGenerator.create({
    serialNumber: `7f${nextSerial()}`,
    subject: 'CN=agent',
    issuer: issuer.cert.subject,
    notBefore: new Date(Date.UTC(2020, 0, 1)),
    notAfter: new Date(Date.UTC(2040, 0, 1)),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ALG,
    extensions: [
      new BasicConstraintsExtension(false, undefined, true),
      new KeyUsagesExtension(KeyUsageFlags.digitalSignature, true),
      await AuthorityKeyIdentifierExtension.create(issuer.cert),
      ...extensions,
    ],
  });
  return { cert, keys };
}

export interface CrlOptions {
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  entries?: X509CrlEntryParams[];
  extensions?: Extension[];
  /** Replace the default AKI + CRL number extensions entirely. */
  replaceExtensions?: boolean;
  signer?: Party;
  issuerName?: string;
}

export const CRL_NUMBER = '2.5.29.20';
/** DER INTEGER 5. */
export const crlNumber = (critical = false) => new Extension(CRL_NUMBER, critical, new Uint8Array([2, 1, 5]));

export async function makeCrl(issuer: Party, at: number, options: CrlOptions = {}): Promise<Uint8Array> {
  const base = options.replaceExtensions
    ? []
    : [await AuthorityKeyIdentifierExtension.create(issuer.cert), crlNumber()];
  const crl = await X509CrlGenerator.create({
    issuer: options.issuerName ?? issuer.cert.subject,
    thisUpdate: options.thisUpdate ?? new Date(at - 60_000),
    ...(options.nextUpdate === null ? {} : { nextUpdate: options.nextUpdate ?? new Date(at + DAY) }),
    entries: options.entries ?? [],
    extensions: [...base, ...(options.extensions ?? [])],
    signingKey: (options.signer ?? issuer).keys.privateKey,
    signingAlgorithm: ALG,
  });
  return new Uint8Array(crl.rawData);
}
