/**
 * `OfflineVerifier` (docs/api.md §10, docs/api.md §4): decides every §4 code it can without the service, in the
 * service's order: certificate (unknown → revoked → expired → not yet valid), signature, timestamp, nonce, scope.
 * What it cannot decide (agent suspension, velocity, risk) is named in `checks`. Revocation comes from the issuing
 * CA's CRL (crl-cache.ts); a CRL that is missing, unverifiable, from the wrong issuer or too old fails closed with
 * REVOCATION_STATUS_UNKNOWN.
 *
 * @example
 * const verifier = new OfflineVerifier({
 *   rootPem, chainPem: await kakunin.ca.chain(), crl: () => kakunin.ca.crl(), certificates: [agentCertPem],
 * });
 * const answer = await verifier.verify(envelope);
 * if (!answer.verified) return res.status(403).json(answer);
 */
import { parseSignedEnvelope, signedBytes } from '../envelope/schema.js';
import { KakuninError } from '../errors.js';
import { MemoryNonceStore } from '../nonce/memory-nonce-store.js';
import type { NonceStore } from '../nonce/nonce-store.js';
import { DEFAULT_SCOPE_OID } from '../scope/read-scope.js';
import { checkScope } from '../scope/scope-check.js';
import { type Clock, systemClock } from '../signers/signer.js';
import type { OfflineChecks, OfflineVerifyResult, SignedEnvelope, VerificationError } from '../types.js';
import { DEFAULT_MAX_CRL_AGE_MS } from '../x509/check-revocation.js';
import { CrlCache } from './crl-cache.js';
import { verifyActionSignature } from './signature.js';
import { type AgentCertificate, NotInChainError, TrustedChain } from './trusted-chain.js';

export interface OfflineVerifierOptions {
  /** The pinned root CA certificate (PEM). */
  rootPem: string;
  /** The issuing CA certificate (PEM), optionally followed by the root, as `GET /v1/ca/chain` answers. */
  chainPem: string;
  /** Fetches the issuing CA's current CRL (DER or PEM), e.g. `() => kakunin.ca.crl()`. */
  crl: () => Promise<Uint8Array | string>;
  /** A CRL older than this (from its thisUpdate) fails closed. @default 86_400_000 (24 h) */
  maxCrlAgeMs?: number;
  /** Fetch a fresh CRL in the background at least this often. @default 300_000 (5 min) */
  crlRefreshIntervalMs?: number;
  /** @default an in-memory LRU with TTL (one process; see MemoryNonceStore) */
  nonceStore?: NonceStore;
  /** @default the system clock */
  clock?: Clock;
  /** @default 300_000 (300 s either way, as the service) */
  timestampWindowMs?: number;
  /** OID of the scope extension. @default '1.3.6.1.4.1.32473.1.1' */
  scopeOid?: string;
  /** Agent certificates (PEM) this verifier knows from the start. */
  certificates?: string[];
  /** Looks up a certificate PEM by fingerprint when the verifier does not know it yet (e.g. from a local store). */
  resolveCertificate?: (fingerprint: string) => Promise<string | undefined>;
}

export interface VerifyOptions {
  /** The agent's certificate, when the caller received it with the request. */
  certificatePem?: string;
}

/** `field` of certificate refusals, as the service reports them. */
const CERT = 'certificateFingerprint';

const CHECKS: OfflineChecks = Object.freeze({ agentStatus: false, velocity: false, risk: false });

const refuse = (code: string, message: string, field?: string): OfflineVerifyResult => ({
  verified: false,
  error: (field === undefined ? { code, message } : { code, message, field }) as VerificationError,
  checks: CHECKS,
});

export class OfflineVerifier {
  private readonly chain: TrustedChain;
  private readonly crl: CrlCache;
  private readonly nonces: NonceStore;
  private readonly clock: Clock;
  private readonly windowMs: number;
  private readonly known = new Map<string, AgentCertificate>();
  private readonly resolve: ((fingerprint: string) => Promise<string | undefined>) | undefined;

  /** @throws TypeError when rootPem/chainPem do not form the pinned chain (a configuration error). */
  constructor(options: OfflineVerifierOptions) {
    this.clock = options.clock ?? systemClock;
    this.windowMs = options.timestampWindowMs ?? 300_000;
    this.chain = new TrustedChain(options.rootPem, options.chainPem, options.scopeOid ?? DEFAULT_SCOPE_OID);
    this.crl = new CrlCache({
      fetch: options.crl,
      issuer: this.chain.issuing,
      maxCrlAgeMs: options.maxCrlAgeMs ?? DEFAULT_MAX_CRL_AGE_MS,
      refreshIntervalMs: options.crlRefreshIntervalMs ?? 300_000,
      now: () => this.clock.now(),
    });
    this.nonces = options.nonceStore ?? new MemoryNonceStore({ clock: this.clock });
    this.resolve = options.resolveCertificate;
    for (const pem of options.certificates ?? []) this.addCertificate(pem);
  }

  /**
   * Makes an agent certificate known (e.g. one the agent sent with its request). Returns its fingerprint.
   * @throws KakuninError CERTIFICATE_UNKNOWN when it was not issued by the pinned issuing CA.
   */
  addCertificate(pem: string): string {
    try {
      const admitted = this.chain.admit(pem);
      this.known.set(admitted.fingerprint, admitted);
      return admitted.fingerprint;
    } catch (error) {
      if (error instanceof NotInChainError) {
        throw new KakuninError('CERTIFICATE_UNKNOWN', error.message, { status: 403, cause: error });
      }
      throw error;
    }
  }

  /** Fetches the CRL now (e.g. at start-up, or after learning of a revocation). Never rejects. */
  refreshCrl(): Promise<void> {
    return this.crl.refresh();
  }

  /**
   * The §4 answer plus `checks`. Resolves `{verified: false}` for every refusal, including a malformed envelope
   * (INVALID_REQUEST with `field`, as the service's 400). Rejects only when the nonce store fails (KakuninError
   * UNAVAILABLE): nothing was verified, as the service's 503.
   */
  async verify(input: SignedEnvelope | unknown, options: VerifyOptions = {}): Promise<OfflineVerifyResult> {
    let envelope: SignedEnvelope;
    let signature: Uint8Array;
    try {
      ({ envelope, signatureBytes: signature } = parseSignedEnvelope(input));
    } catch (error) {
      if (!(error instanceof KakuninError)) throw error;
      return refuse('INVALID_REQUEST', error.message, error.field);
    }
    // Synchronous fast paths (a known certificate, a current CRL) keep the hot path free of needless awaits.
    const certificate =
      this.known.get(envelope.certificateFingerprint) ??
      (await this.lookUp(envelope.certificateFingerprint, options.certificatePem));
    if (certificate === undefined)
      return refuse('CERTIFICATE_UNKNOWN', 'certificate is not known to this verifier', CERT);

    const revocation = this.crl.statusNow(certificate.certificate) ?? (await this.crl.status(certificate.certificate));
    if (revocation.status === 'revoked') {
      return refuse('CERTIFICATE_REVOKED', `certificate is revoked (${revocation.reason ?? 'unspecified'})`, CERT);
    }
    if (revocation.status !== 'good') {
      return refuse('REVOCATION_STATUS_UNKNOWN', `revocation status unknown: ${revocation.reason ?? 'no CRL'}`, CERT);
    }
    const now = this.clock.now();
    const chainState = this.chain.issuingValidity(now);
    if (now > certificate.notAfter || chainState === 'expired')
      return refuse('CERTIFICATE_EXPIRED', 'certificate has expired', CERT);
    if (now < certificate.notBefore || chainState === 'not_yet_valid') {
      return refuse('CERTIFICATE_NOT_YET_VALID', 'certificate is not yet valid', CERT);
    }
    if (!verifyActionSignature(certificate.key, certificate.kind, signedBytes(envelope), signature)) {
      return refuse('SIGNATURE_INVALID', 'signature does not verify with the certificate key', 'signature');
    }
    if (Math.abs(now - envelope.timestamp) > this.windowMs) {
      return refuse('TIMESTAMP_OUT_OF_WINDOW', `timestamp is more than ${this.windowMs} ms from now`, 'timestamp');
    }
    // Remembered for as long as the timestamp stays acceptable; after that the window check refuses a replay.
    const fresh = await this.claimNonce(envelope, envelope.timestamp + this.windowMs + 1);
    if (!fresh) return refuse('REPLAY_DETECTED', 'nonce was already used with this certificate', 'nonce');
    const violation = checkScope(certificate.scope, envelope.payload);
    if (violation !== undefined) return refuse('SCOPE_VIOLATION', violation.message, violation.field);
    return {
      verified: true,
      agentId: certificate.agentId,
      fingerprint: certificate.fingerprint,
      scope: certificate.scope,
      checks: CHECKS,
    };
  }

  private async lookUp(fingerprint: string, pem: string | undefined): Promise<AgentCertificate | undefined> {
    const known = this.known.get(fingerprint);
    if (known !== undefined) return known;
    const candidate = pem ?? (await this.resolve?.(fingerprint).catch(() => undefined));
    if (candidate === undefined) return undefined;
    try {
      const admitted = this.chain.admit(candidate);
      if (admitted.fingerprint !== fingerprint) return undefined;
      this.known.set(fingerprint, admitted);
      return admitted;
    } catch {
      return undefined;
    }
  }

  private async claimNonce(envelope: SignedEnvelope, expiresAt: number): Promise<boolean> {
    try {
      return await this.nonces.claim(envelope.certificateFingerprint, envelope.nonce, expiresAt);
    } catch (error) {
      throw new KakuninError('UNAVAILABLE', 'nonce store unavailable: nothing was verified', { cause: error });
    }
  }
}
