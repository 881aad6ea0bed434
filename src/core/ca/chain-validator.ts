/**
 * RFC 5280 path validation for the project's own chains (root → issuing CA → agent) and the x509-limbo suite:
 * pkijs `CertificateChainValidationEngine` builds the path and checks signatures, validity, name chaining and
 * pathLenConstraint; a strict profile layer below adds what pkijs leaves out (CA basic constraints, keyCertSign,
 * unknown critical extensions, duplicate extensions, AKI/SKI rules, serial sanity). Pure: time is a parameter.
 */
import { webcrypto } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface ChainValidationResult {
  valid: boolean;
  reason?: string;
}

export interface ChainValidationOptions {
  /** Maximum number of intermediates between leaf and trust anchor. */
  maxChainDepth?: number;
  /** Extension OIDs this relying party understands when critical, beyond the RFC 5280 set. */
  knownCriticalExtensions?: string[];
}

const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  nameConstraints: '2.5.29.30',
  certificatePolicies: '2.5.29.32',
  policyConstraints: '2.5.29.36',
  inhibitAnyPolicy: '2.5.29.54',
  policyMappings: '2.5.29.33',
  authorityKeyIdentifier: '2.5.29.35',
  subjectKeyIdentifier: '2.5.29.14',
} as const;
const UNDERSTOOD = new Set<string>(Object.values(OID));
const KEY_CERT_SIGN_BIT = 5;

const engine = new pkijs.CryptoEngine({ name: 'node', crypto: webcrypto as Crypto });

function parse(der: Uint8Array): pkijs.Certificate {
  const asn = asn1js.fromBER(new Uint8Array(der));
  if (asn.offset === -1) throw new Error('certificate is not DER');
  return new pkijs.Certificate({ schema: asn.result });
}

const ext = (cert: pkijs.Certificate, oid: string) => (cert.extensions ?? []).filter((e) => e.extnID === oid);
const sameName = (a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames) => a.isEqual(b);

function keyUsageAllows(cert: pkijs.Certificate, bit: number): boolean | undefined {
  const [usage] = ext(cert, OID.keyUsage);
  if (!usage) return undefined;
  const bits = usage.parsedValue as asn1js.BitString;
  const bytes = new Uint8Array(bits.valueBlock.valueHexView);
  return ((bytes[bit >> 3] ?? 0) & (0x80 >> (bit & 7))) !== 0;
}

/** The strict profile checks applied to every certificate of a built path (leaf first). */
function profileProblem(path: pkijs.Certificate[], options: ChainValidationOptions): string | undefined {
  const known = new Set([...UNDERSTOOD, ...(options.knownCriticalExtensions ?? [])]);
  for (const [index, cert] of path.entries()) {
    const isLeaf = index === 0;
    const where = isLeaf ? 'leaf' : `certificate ${index}`;
    const ids = (cert.extensions ?? []).map((e) => e.extnID);
    if (new Set(ids).size !== ids.length) return `${where}: duplicate extension`;
    const unknownCritical = (cert.extensions ?? []).find((e) => e.critical && !known.has(e.extnID));
    if (unknownCritical) return `${where}: unknown critical extension ${unknownCritical.extnID}`;
    const serial = new Uint8Array(cert.serialNumber.valueBlock.valueHexView);
    if (serial.length > 20 || (serial[0] ?? 0) & 0x80 || serial.every((b) => b === 0)) return `${where}: bad serial`;
    if (cert.issuer.typesAndValues.length === 0) return `${where}: empty issuer`;
    if (!cert.signatureAlgorithm.isEqual(cert.signature)) return `${where}: mismatching signature algorithms`;
    for (const oid of [OID.authorityKeyIdentifier, OID.subjectKeyIdentifier]) {
      if (ext(cert, oid).some((e) => e.critical)) return `${where}: ${oid} must not be critical`;
    }
    const selfIssued = sameName(cert.subject, cert.issuer);
    if (!selfIssued && ext(cert, OID.authorityKeyIdentifier).length === 0) return `${where}: missing AKI`;
    if (isLeaf) {
      if (keyUsageAllows(cert, KEY_CERT_SIGN_BIT) && !isCa(cert)) return 'leaf: keyCertSign without CA:TRUE';
      continue;
    }
    const [basic] = ext(cert, OID.basicConstraints);
    if (!basic || !isCa(cert)) return `${where}: not a CA (basicConstraints cA)`;
    if (!basic.critical) return `${where}: CA basicConstraints must be critical`;
    if (keyUsageAllows(cert, KEY_CERT_SIGN_BIT) === false) return `${where}: keyUsage lacks keyCertSign`;
    if (ext(cert, OID.subjectKeyIdentifier).length === 0) return `${where}: CA without SKI`;
    if (cert.subject.typesAndValues.length === 0) return `${where}: CA with empty subject`;
  }
  return pathLenProblem(path);
}

function isCa(cert: pkijs.Certificate): boolean {
  const [basic] = ext(cert, OID.basicConstraints);
  return (basic?.parsedValue as pkijs.BasicConstraints | undefined)?.cA === true;
}

/** RFC 5280 §6.1.4 (l)/(m): non-self-issued intermediates below a CA must not exceed its pathLenConstraint. */
function pathLenProblem(path: pkijs.Certificate[]): string | undefined {
  for (let index = path.length - 1; index >= 1; index -= 1) {
    const cert = path[index]!;
    const pathLen = (ext(cert, OID.basicConstraints)[0]?.parsedValue as pkijs.BasicConstraints | undefined)
      ?.pathLenConstraint;
    if (pathLen === undefined) continue;
    const below = path.slice(1, index).filter((c) => !sameName(c.subject, c.issuer)).length;
    if (below > Number(pathLen)) return `certificate ${index}: pathLenConstraint ${String(pathLen)} exceeded`;
  }
  return undefined;
}

/**
 * Validates `leaf` up to one of `roots` at `at`. Never throws: any parse or engine failure is `valid: false`.
 * @example validateChain(agentDer, [issuingDer], [rootDer], new Date())
 */
export async function validateChain(
  leaf: Uint8Array,
  intermediates: Uint8Array[],
  roots: Uint8Array[],
  at: Date,
  options: ChainValidationOptions = {},
): Promise<ChainValidationResult> {
  try {
    const leafCert = parse(leaf);
    const trusted = roots.map(parse);
    const validator = new pkijs.CertificateChainValidationEngine({
      trustedCerts: trusted,
      certs: [...intermediates.map(parse), leafCert],
      checkDate: at,
    });
    const outcome = await validator.verify({}, engine);
    if (!outcome.result) return { valid: false, reason: outcome.resultMessage || 'path validation failed' };
    // pkijs returns the path leaf first, trust anchor last.
    const path = [...(outcome.certificatePath ?? [])];
    if (path.length === 0) return { valid: false, reason: 'no path' };
    // Self-issued intermediates (key rollover) do not count towards the depth, as for pathLenConstraint.
    const depth = path.slice(1, -1).filter((c) => !sameName(c.subject, c.issuer)).length;
    if (options.maxChainDepth !== undefined && depth > options.maxChainDepth) {
      return { valid: false, reason: `chain depth ${depth} exceeds ${options.maxChainDepth}` };
    }
    const problem = profileProblem(path, options);
    return problem === undefined ? { valid: true } : { valid: false, reason: problem };
  } catch (error) {
    return { valid: false, reason: error instanceof Error ? error.message : 'validation error' };
  }
}
