/**
 * `ToolGuard` (docs/api.md §10, the guide's Layer 2): every guarded tool call is signed as a §4 action and verified
 * before the tool runs. Online (`POST /v1/actions/verify`) by default; offline when an OfflineVerifier is given.
 *
 * Fail closed: a refusal, an unreadable certificate, a bad payload, a signer or verifier failure all keep the tool
 * from running. Only a check that could not be made (network, timeout, 429/5xx) may run it, and only with
 * `onUnavailable: 'fail-open'`. `shadow` mode runs every call and logs what enforce mode would have refused.
 */
import { Kakunin } from '../client/kakunin.js';
import { signAction } from '../envelope/sign-action.js';
import type { KakuninError } from '../errors.js';
import { serviceSigner } from '../signers/service-signer.js';
import type { Clock, Signer } from '../signers/signer.js';
import type { ActionOrigin, OfflineVerifyResult, SignedEnvelope, VerifyResult } from '../types.js';
import { type FingerprintSource, fingerprintSource } from './certificate-source.js';
import { type GuardLogger, stderrLogger } from './guard-log.js';
import { buildPayload, type ToPayload } from './payload.js';
import { isUnavailable, refusalError, refusalOf } from './refusal.js';

/** What ToolGuard needs of an offline verifier (OfflineVerifier has it). */
export interface EnvelopeVerifier {
  verify(envelope: SignedEnvelope, options?: { certificatePem?: string }): Promise<OfflineVerifyResult>;
}

export interface ToolGuardOptions {
  /** @default process.env.KAKUNIN_API_KEY (needed for online verification and the service signer) */
  apiKey?: string | undefined;
  agentId: string;
  /** PEM file of the agent's certificate (re-read every minute, for rotation). Or give the fingerprint. */
  certificatePath?: string | undefined;
  certificateFingerprint?: string | undefined;
  /** Signs with KMS through `@kakunin/sdk/kms` (loaded on first use only). Or give a signer. */
  kmsKeyArn?: string | undefined;
  /** @default kmsSigner({keyId: kmsKeyArn}) when kmsKeyArn is set, else serviceSigner(client, agentId) */
  signer?: Signer | undefined;
  /** @default process.env.KAKUNIN_BASE_URL, else http://127.0.0.1:8787 (`kakunin dev`) */
  baseUrl?: string | undefined;
  /** A client to share instead of one built from apiKey and baseUrl. */
  client?: Kakunin | undefined;
  /** @default 'enforce' */
  mode?: 'enforce' | 'shadow';
  /** @default 'fail-closed' */
  onUnavailable?: 'fail-closed' | 'fail-open';
  /** Verify offline instead of calling the service (agent status, velocity and risk are then not checked). */
  verifier?: EnvelopeVerifier | undefined;
  /** Maps tool arguments to the signed payload. @default the arguments object itself */
  toPayload?: ToPayload | undefined;
  /** Sent with online verification (docs/api.md §4 `origin`). */
  origin?: ActionOrigin | undefined;
  /** @default one JSON line on stderr; `false` silences it */
  logger?: GuardLogger | false;
  clock?: Clock | undefined;
}

/** The outcome of one check. `run` says whether the tool may run; `refusal` is set whenever the check did not pass. */
export type GuardDecision =
  | { run: true; verified: true; envelope: SignedEnvelope; result: VerifyResult | OfflineVerifyResult }
  | { run: true; verified: false; refusal: KakuninError; reason: 'shadow' | 'fail-open' }
  | { run: false; verified: false; refusal: KakuninError };

const DEFAULT_BASE_URL = 'http://127.0.0.1:8787';

export class ToolGuard {
  readonly agentId: string;
  readonly mode: 'enforce' | 'shadow';
  private readonly options: ToolGuardOptions;
  private readonly certificate: FingerprintSource;
  private readonly log: GuardLogger | undefined;
  private clientInstance: Kakunin | undefined;
  private signerPromise: Promise<Signer> | undefined;

  constructor(options: ToolGuardOptions) {
    if (typeof options.agentId !== 'string' || options.agentId === '') throw new TypeError('agentId is required');
    if (options.mode !== undefined && options.mode !== 'enforce' && options.mode !== 'shadow') {
      throw new TypeError("mode must be 'enforce' or 'shadow'");
    }
    if (
      options.onUnavailable !== undefined &&
      options.onUnavailable !== 'fail-closed' &&
      options.onUnavailable !== 'fail-open'
    ) {
      throw new TypeError("onUnavailable must be 'fail-closed' or 'fail-open'");
    }
    this.options = options;
    this.agentId = options.agentId;
    this.mode = options.mode ?? 'enforce';
    this.certificate = fingerprintSource(options);
    this.log = options.logger === false ? undefined : (options.logger ?? stderrLogger);
    this.clientInstance = options.client;
    if (options.signer !== undefined) this.signerPromise = Promise.resolve(options.signer);
  }

  /**
   * Signs and verifies one call; never throws. Integrations turn a `run: false` decision into the refusal their
   * framework shows the model.
   */
  async check(action: string, args: unknown): Promise<GuardDecision> {
    let refusal: KakuninError;
    let unavailable = false;
    try {
      const certificate = await this.certificate();
      const envelope = await signAction(buildPayload(action, args, this.options.toPayload), {
        certificateFingerprint: certificate.fingerprint,
        signer: await this.signer(),
        ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
      });
      const result = await this.verify(envelope, certificate.pem);
      if (result.verified) return { run: true, verified: true, envelope, result };
      refusal = refusalError(action, result.error, 403);
    } catch (error) {
      unavailable = isUnavailable(error);
      const { status, ...detail } = refusalOf(error);
      refusal = refusalError(action, detail, status, error);
    }
    return this.decide(action, refusal, unavailable);
  }

  /**
   * Wraps a tool: `fn` runs only after its call verified. The first argument is what is signed (through `toPayload`).
   * @throws KakuninError with the §4 code (and `field`) when the call is refused; `fn` has not run.
   */
  wrap<Args extends unknown[], Result>(
    action: string,
    fn: (...args: Args) => Result | Promise<Result>,
  ): (...args: Args) => Promise<Result> {
    if (typeof action !== 'string' || action === '') throw new TypeError('wrap needs an action name');
    if (typeof fn !== 'function') throw new TypeError('wrap needs a function');
    return async (...args: Args): Promise<Result> => {
      const decision = await this.check(action, args[0]);
      if (!decision.run) throw decision.refusal;
      return fn(...args);
    };
  }

  private decide(action: string, refusal: KakuninError, unavailable: boolean): GuardDecision {
    const detail = { code: refusal.code, message: refusal.message, ...(refusal.field ? { field: refusal.field } : {}) };
    const entry = { event: 'kakunin.tool_guard' as const, action, agentId: this.agentId, ...detail };
    if (this.mode === 'shadow') {
      this.log?.({ ...entry, outcome: 'shadow_refused' });
      return { run: true, verified: false, refusal, reason: 'shadow' };
    }
    if (unavailable && this.options.onUnavailable === 'fail-open') {
      this.log?.({ ...entry, outcome: 'unavailable_fail_open' });
      return { run: true, verified: false, refusal, reason: 'fail-open' };
    }
    this.log?.({ ...entry, outcome: 'refused' });
    return { run: false, verified: false, refusal };
  }

  private verify(
    envelope: SignedEnvelope,
    certificatePem: string | undefined,
  ): Promise<VerifyResult | OfflineVerifyResult> {
    const offline = this.options.verifier;
    // The certificate read from certificatePath spares the offline verifier a lookup by fingerprint.
    if (offline !== undefined) return offline.verify(envelope, certificatePem === undefined ? {} : { certificatePem });
    const origin = this.options.origin;
    return this.client().actions.verify(envelope, origin === undefined ? {} : { origin });
  }

  private signer(): Promise<Signer> {
    this.signerPromise ??= this.resolveSigner().catch((error: unknown) => {
      this.signerPromise = undefined; // a failed load (missing optional peer) must not stick
      throw error;
    });
    return this.signerPromise;
  }

  private async resolveSigner(): Promise<Signer> {
    const keyId = this.options.kmsKeyArn;
    if (keyId === undefined || keyId === '') return serviceSigner(this.client(), this.agentId);
    // Loaded here, not at the top: the core entry point must not pull in the AWS SDK (docs/api.md §10).
    const { kmsSigner } = await import('../kms.js');
    return kmsSigner({ keyId });
  }

  private client(): Kakunin {
    this.clientInstance ??= new Kakunin({
      baseUrl: this.options.baseUrl ?? process.env.KAKUNIN_BASE_URL ?? DEFAULT_BASE_URL,
      apiKey: this.options.apiKey ?? process.env.KAKUNIN_API_KEY,
    });
    return this.clientInstance;
  }
}
