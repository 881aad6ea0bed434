/**
 * Certificates: issue (POST /v1/agents/{id}/certificates), sign with a service-held key (POST /v1/agents/{id}/sign),
 * state (GET /v1/certificates/{fingerprint}) and revoke (POST /v1/certificates/{fingerprint}/revoke).
 */
import { CertificateLifecycle, type IssueParams, type LifecycleDeps } from '../src/app/certificate-lifecycle.js';
import type { Provider } from '../src/app/context.js';
import { FINGERPRINT_PATTERN } from '../src/core/crypto/fingerprint.js';
import { parsePayload } from '../src/core/envelope/schema.js';
import { notFound } from '../src/core/errors.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import { logger, recordEventFailure, recordIssuance, recordRevocation } from '../src/http/observability.js';
import { pathAgentId } from '../src/http/path-params.js';
import { parseBody } from '../src/http/request.js';
import { json, rfc3339 } from '../src/http/responses.js';
import { issueCertificateSchema, revokeSchema, signRequestSchema } from '../src/http/schemas.js';
import { certificateStateView, issuedCertificateView } from '../src/http/views.js';
import { routes } from './routes.js';

/** What the certificates routes use: the CA, the vault, the registry, the ledger and the event bus (no stream). */
export type CertificatesContext = LifecycleDeps;
type CertificatesRequest = AuthenticatedRequest<CertificatesContext>;

const lifecycle = ({ ctx }: CertificatesRequest) =>
  new CertificateLifecycle({
    ...ctx,
    // The effect and its audit entry already happened: answer as usual, but make the lost event loud.
    onEventFailure: ({ type, eventId, error }) => {
      logger.error('event publish failed', { eventType: type, eventId, error: (error as Error)?.name ?? 'Error' });
      recordEventFailure();
    },
  });

function pathFingerprint(request: CertificatesRequest): string {
  const fingerprint = request.params.fingerprint;
  if (fingerprint === undefined || !FINGERPRINT_PATTERN.test(fingerprint)) throw notFound('certificate');
  return fingerprint;
}

/** The Lambda handler is wired in functions/lambda/certificates.ts. */
export const createCertificatesHandler = (contextProvider: Provider<CertificatesContext>) =>
  createApiHandler<CertificatesContext>({
    name: 'certificates',
    routes: routes.filter((route) => route.group === 'certificates'),
    contextProvider,
    implementations: {
      'POST /v1/agents/{id}/certificates': async (request: CertificatesRequest) => {
        const agentId = pathAgentId(request.params);
        const body = parseBody(request.event, issueCertificateSchema);
        const params: IssueParams = {
          scope: body.scope,
          ...(body.validityDays === undefined ? {} : { validityDays: body.validityDays }),
          ...(body.validityHours === undefined ? {} : { validityHours: body.validityHours }),
          ...(body.csr === undefined ? {} : { csrPem: body.csr }),
          ...(body.csr === undefined ? { keySpec: body.keySpec ?? 'ECC_NIST_P256' } : {}),
          ...(body.parentFingerprint === undefined ? {} : { parentFingerprint: body.parentFingerprint }),
        };
        const issued = await lifecycle(request).issue(request.principal, agentId, params);
        recordIssuance();
        return json(201, issuedCertificateView(issued));
      },
      'POST /v1/agents/{id}/sign': async (request: CertificatesRequest) => {
        const agentId = pathAgentId(request.params);
        const body = parseBody(request.event, signRequestSchema);
        // The verifier's payload rule on the payload exactly as sent: what it would refuse is refused here (400).
        const payload = parsePayload(body.payload);
        const envelope = await lifecycle(request).sign(
          request.principal,
          agentId,
          payload,
          body.certificateFingerprint,
        );
        return json(200, envelope);
      },
      'GET /v1/certificates/{fingerprint}': async (request: CertificatesRequest) => {
        const { record, state } = await request.ctx.ca.state(request.principal.tenantId, pathFingerprint(request));
        return json(200, certificateStateView(record, state));
      },
      'POST /v1/certificates/{fingerprint}/revoke': async (request: CertificatesRequest) => {
        const fingerprint = pathFingerprint(request);
        const { reason } = parseBody(request.event, revokeSchema);
        const outcome = await lifecycle(request).revoke(
          request.principal.tenantId,
          fingerprint,
          reason,
          request.principal.keyId,
        );
        if (outcome.changed) recordRevocation();
        return json(200, { status: 'revoked', revokedAt: rfc3339(outcome.revokedAt) });
      },
    },
  });
