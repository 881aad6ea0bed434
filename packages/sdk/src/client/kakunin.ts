/**
 * `new Kakunin({ baseUrl, apiKey })`: the typed client of every route of docs/api.md §2.
 * Failed calls throw KakuninError {status, code, field?}; verification refusals are answers, not errors.
 */
import type { ActionOrigin, ActionPayload, SignedEnvelope, VerifyResult } from '../types.js';
import type * as Api from './api-types.js';
import { HttpClient, type HttpOptions } from './http.js';
import { type PagePromise, paginate } from './pagination.js';
import { withStatsHelpers } from './stats.js';

export interface KakuninOptions extends HttpOptions {
  apiKey?: string;
}

const KMS_ARN = /^arn:aws[a-z-]*:kms:/;
const seg = (value: string): string => encodeURIComponent(value);
const iso = (value: string | Date | undefined): string | undefined =>
  value instanceof Date ? value.toISOString() : value;

/** A verify answer: 200 {verified:true…} or 403 {verified:false, error}; any other 403 (FORBIDDEN) is an error. */
const isVerifyAnswer = (status: number, body: unknown): boolean =>
  status === 403 && typeof body === 'object' && body !== null && (body as { verified?: unknown }).verified === false;

export class Kakunin {
  readonly http: HttpClient;

  constructor(options: KakuninOptions) {
    this.http = new HttpClient(options);
  }

  /** `GET /health`. */
  health(): Promise<{ status: 'ok' }> {
    return this.http.request({ method: 'GET', path: '/health', auth: false });
  }

  readonly apiKeys = {
    create: (body: Api.CreateApiKeyRequest): Promise<Api.ApiKey> =>
      this.http.request({ method: 'POST', path: '/v1/api-keys', body }),
  };

  readonly agents = {
    create: (body: Api.CreateAgentRequest): Promise<Api.Agent> =>
      this.http.request({ method: 'POST', path: '/v1/agents', body }),
    get: (id: string): Promise<Api.Agent> => this.http.request({ method: 'GET', path: `/v1/agents/${seg(id)}` }),
    list: (params: Api.ListParams = {}): PagePromise<Api.Agent> =>
      paginate(
        (cursor) => this.http.request({ method: 'GET', path: '/v1/agents', query: { limit: params.limit, cursor } }),
        params.cursor,
      ),
    update: (id: string, body: Api.UpdateAgentRequest): Promise<Api.Agent> =>
      this.http.request({ method: 'PATCH', path: `/v1/agents/${seg(id)}`, body }),
    /** Issues a certificate (docs/api.md §3); adds `kmsKeyArn` when the service's key is a KMS key. */
    getCertificate: async (agentId: string, body: Api.CertificateRequest): Promise<Api.IssuedCertificate> => {
      const cert = await this.http.request<Api.IssuedCertificate>({
        method: 'POST',
        path: `/v1/agents/${seg(agentId)}/certificates`,
        body,
      });
      return cert.keyRef !== undefined && KMS_ARN.test(cert.keyRef) ? { ...cert, kmsKeyArn: cert.keyRef } : cert;
    },
    /** `POST /v1/agents/{id}/sign`: a complete envelope signed with the key the service holds. Not retried. */
    sign: (
      agentId: string,
      body: { payload: ActionPayload; certificateFingerprint: string },
    ): Promise<SignedEnvelope> => this.http.request({ method: 'POST', path: `/v1/agents/${seg(agentId)}/sign`, body }),
  };

  readonly certificates = {
    /** `GET /v1/certificates/{fingerprint}`: `{valid, reason?, publicKey, scope, agentId, …}`. */
    verify: (fingerprint: string): Promise<Api.CertificateStatus> =>
      this.http.request({ method: 'GET', path: `/v1/certificates/${seg(fingerprint)}` }),
    revoke: (fingerprint: string, reason: Api.RevocationReason = 'unspecified'): Promise<Api.Revocation> =>
      this.http.request({ method: 'POST', path: `/v1/certificates/${seg(fingerprint)}/revoke`, body: { reason } }),
  };

  readonly ca = {
    /** `GET /v1/ca/chain`: PEM, issuing CA then root. */
    chain: (tenant?: string): Promise<string> =>
      this.http.request({ method: 'GET', path: '/v1/ca/chain', query: { tenant }, as: 'text', auth: false }),
    /** `GET /v1/crl`: the issuing CA's CRL, DER. */
    crl: (tenant?: string): Promise<Uint8Array> =>
      this.http.request({ method: 'GET', path: '/v1/crl', query: { tenant }, as: 'bytes', auth: false }),
  };

  readonly actions = {
    /**
     * `POST /v1/actions/verify`. Resolves to the §4 answer for both 200 and 403 `{verified:false}`; throws
     * KakuninError for anything else. Retried like a GET: the envelope's nonce makes a repeat harmless.
     */
    verify: (envelope: SignedEnvelope, options: { origin?: ActionOrigin } = {}): Promise<VerifyResult> =>
      this.http.request({
        method: 'POST',
        path: '/v1/actions/verify',
        body: options.origin === undefined ? envelope : { envelope, origin: options.origin },
        idempotent: true,
        acceptBody: isVerifyAnswer,
      }),
  };

  readonly monitoring = {
    /**
     * `GET /v1/agents/{id}/stats?window=`. `metrics` is accepted for the guide's code and not sent: the service
     * always answers every metric.
     */
    getStats: async (
      agentId: string,
      options: { window?: Api.StatsWindow; metrics?: Api.StatsMetric[] } = {},
    ): Promise<Api.AgentStats> =>
      withStatsHelpers(
        await this.http.request({
          method: 'GET',
          path: `/v1/agents/${seg(agentId)}/stats`,
          query: { window: options.window },
        }),
      ),
    /** `PUT /v1/agents/{id}/baseline`: PUT replaces, so it is safe to retry. */
    setBaseline: (agentId: string, baseline: Api.Baseline): Promise<Api.StoredBaseline> =>
      this.http.request({
        method: 'PUT',
        path: `/v1/agents/${seg(agentId)}/baseline`,
        body: baseline,
        idempotent: true,
      }),
    getRisk: (agentId: string): Promise<Api.Risk> =>
      this.http.request({ method: 'GET', path: `/v1/agents/${seg(agentId)}/risk` }),
  };

  readonly webhooks = {
    create: (body: Api.CreateWebhookRequest): Promise<Api.Webhook> =>
      this.http.request({ method: 'POST', path: '/v1/webhooks', body }),
    list: (): Promise<{ items: Api.WebhookSummary[] }> => this.http.request({ method: 'GET', path: '/v1/webhooks' }),
    delete: (id: string): Promise<{ id: string; deleted: true }> =>
      this.http.request({ method: 'DELETE', path: `/v1/webhooks/${seg(id)}` }),
    /** One batch of dead letters (at most 25); call again while `remaining` > 0 and the batch delivered some. */
    replay: (id: string): Promise<Api.WebhookReplay> =>
      this.http.request({ method: 'POST', path: `/v1/webhooks/${seg(id)}/replay` }),
  };

  readonly audit = {
    /** `GET /v1/audit`, oldest first; await for one page or `for await` over every entry. */
    list: (params: Api.AuditListParams = {}): PagePromise<Api.AuditEntry> =>
      paginate(
        (cursor) =>
          this.http.request({
            method: 'GET',
            path: '/v1/audit',
            query: {
              actorId: params.actorId,
              type: params.type,
              from: iso(params.from),
              to: iso(params.to),
              limit: params.limit,
              cursor,
            },
          }),
        params.cursor,
      ),
    verify: (): Promise<Api.AuditVerification> => this.http.request({ method: 'GET', path: '/v1/audit/verify' }),
    /** The latest signed checkpoint (C2SP tlog-checkpoint as a signed note), text. */
    checkpoint: (): Promise<string> => this.http.request({ method: 'GET', path: '/v1/audit/checkpoint', as: 'text' }),
    /** The checkpoint verifier key in signed-note vkey form. */
    checkpointKey: (): Promise<string> =>
      this.http.request({ method: 'GET', path: '/v1/audit/checkpoint/key', as: 'text' }),
    proof: (id: string, treeSize?: number): Promise<Api.InclusionProof> =>
      this.http.request({ method: 'GET', path: `/v1/audit/${seg(id)}/proof`, query: { treeSize } }),
    consistency: (from: number, to: number): Promise<Api.ConsistencyProof> =>
      this.http.request({ method: 'GET', path: '/v1/audit/consistency', query: { from, to } }),
  };
}
