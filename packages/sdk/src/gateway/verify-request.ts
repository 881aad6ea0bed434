/**
 * The framework-free core of the gateway middleware (the guide's Layer 1): take the envelope, check that it is for the
 * route's action, verify it online (with the caller's origin, docs/api.md §4) or offline, and say what to answer. Only a
 * verified request reaches business logic; every other outcome is a contract error body.
 */
import { Kakunin } from '../client/kakunin.js';
import { KakuninError } from '../errors.js';
import type { EnvelopeVerifier } from '../tool-guard/tool-guard.js';
import type {
  ActionOrigin,
  ActionPayload,
  OfflineChecks,
  OfflineVerifyResult,
  RiskBand,
  Scope,
  SignedEnvelope,
  VerifyResult,
} from '../types.js';
import {
  DEFAULT_CERTIFICATE_HEADER,
  DEFAULT_ENVELOPE_HEADER,
  decodeCertificateHeader,
  extractEnvelope,
} from './extract-envelope.js';

export interface GatewayOptions {
  /** A client whose key may call `POST /v1/actions/verify` (a `verifier` key). Or give apiKey and baseUrl. */
  client?: Kakunin | undefined;
  apiKey?: string | undefined;
  baseUrl?: string | undefined;
  /** Verify offline instead (agent status, velocity and risk are then not checked; see `checks`). */
  verifier?: EnvelopeVerifier | undefined;
  /** @default 'kakunin-envelope' */
  headerName?: string | undefined;
  /**
   * Offline only: the request header that may carry the agent's certificate (PEM, or base64 of the PEM or DER), for a
   * verifier that does not know it yet. It is admitted only if it chains to the pinned root. @default
   * 'kakunin-certificate'
   */
  certificateHeaderName?: string | undefined;
}

/** What the handler gets: the verified agent and the signed payload, the only request data it should trust. */
export interface VerifiedAgent {
  agentId: string;
  fingerprint: string;
  payload: ActionPayload;
  envelope: SignedEnvelope;
  /** Online verification only. */
  riskScore?: number;
  riskBand?: RiskBand;
  auditId?: string;
  /** Offline verification only: the certificate's scope and what could not be checked. */
  scope?: Scope;
  checks?: OfflineChecks;
}

export interface IncomingRequest {
  body: unknown;
  header: string | string[] | undefined;
  /** The certificate header's value, if any (offline verification only). */
  certificateHeader?: string | string[] | undefined;
  origin: ActionOrigin;
  /** The action this route performs; an envelope signed for another action is refused before verification. */
  expectedAction?: string | undefined;
}

export type GatewayOutcome =
  | { ok: true; agent: VerifiedAgent }
  | { ok: false; status: number; body: Record<string, unknown> };

const errorBody = (error: KakuninError) => ({ error: error.toJSON() });

export class GatewayVerifier {
  readonly headerName: string;
  readonly certificateHeaderName: string;
  private readonly options: GatewayOptions;
  private clientInstance: Kakunin | undefined;

  constructor(options: GatewayOptions) {
    this.options = options;
    this.headerName = (options.headerName ?? DEFAULT_ENVELOPE_HEADER).toLowerCase();
    this.certificateHeaderName = (options.certificateHeaderName ?? DEFAULT_CERTIFICATE_HEADER).toLowerCase();
    this.clientInstance = options.client;
    if (options.verifier === undefined && options.client === undefined && options.baseUrl === undefined) {
      if (process.env.KAKUNIN_BASE_URL === undefined)
        throw new TypeError('give client, baseUrl or an offline verifier');
    }
  }

  async verify(request: IncomingRequest): Promise<GatewayOutcome> {
    let envelope: Record<string, unknown>;
    try {
      envelope = extractEnvelope(request.body, request.header);
    } catch (error) {
      return this.failure(error);
    }
    const payload = envelope.payload as { action?: unknown } | undefined;
    if (request.expectedAction !== undefined && payload?.action !== request.expectedAction) {
      return {
        ok: false,
        status: 403,
        body: {
          verified: false,
          error: {
            code: 'SCOPE_VIOLATION',
            message: `this route performs "${request.expectedAction}"; the envelope was signed for another action`,
            field: 'action',
          },
        },
      };
    }
    const signed = envelope as unknown as SignedEnvelope;
    try {
      if (this.options.verifier !== undefined) {
        const certificatePem = decodeCertificateHeader(request.certificateHeader);
        const options = certificatePem === undefined ? {} : { certificatePem };
        return this.offlineOutcome(signed, await this.options.verifier.verify(signed, options));
      }
      return this.onlineOutcome(signed, await this.client().actions.verify(signed, { origin: request.origin }));
    } catch (error) {
      return this.failure(error);
    }
  }

  private onlineOutcome(envelope: SignedEnvelope, result: VerifyResult): GatewayOutcome {
    if (!result.verified) return { ok: false, status: 403, body: { verified: false, error: result.error } };
    const { agentId, fingerprint, riskScore, riskBand, auditId } = result;
    return {
      ok: true,
      agent: { agentId, fingerprint, payload: envelope.payload, envelope, riskScore, riskBand, auditId },
    };
  }

  private offlineOutcome(envelope: SignedEnvelope, result: OfflineVerifyResult): GatewayOutcome {
    if (!result.verified) {
      // A malformed envelope is a 400 online (the service's answer); offline it must be the same.
      if (result.error.code === 'INVALID_REQUEST') return { ok: false, status: 400, body: { error: result.error } };
      return { ok: false, status: 403, body: { verified: false, error: result.error } };
    }
    const { agentId, fingerprint, scope, checks } = result;
    return { ok: true, agent: { agentId, fingerprint, payload: envelope.payload, envelope, scope, checks } };
  }

  /** A bad envelope is the caller's 400/413; anything else (service down, our own key refused) is 503, fail closed. */
  private failure(error: unknown): GatewayOutcome {
    if (error instanceof KakuninError && (error.status === 400 || error.status === 413)) {
      return { ok: false, status: error.status, body: errorBody(error) };
    }
    const unavailable = new KakuninError('UNAVAILABLE', 'the action could not be verified; nothing was done', {
      status: 503,
    });
    return { ok: false, status: 503, body: errorBody(unavailable) };
  }

  private client(): Kakunin {
    this.clientInstance ??= new Kakunin({
      baseUrl: this.options.baseUrl ?? (process.env.KAKUNIN_BASE_URL as string),
      apiKey: this.options.apiKey ?? process.env.KAKUNIN_API_KEY,
    });
    return this.clientInstance;
  }
}
