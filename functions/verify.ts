/**
 * POST /v1/actions/verify (docs/api.md §4): the bare envelope or `{"envelope", "origin"?}`; 200 `{"verified": true, …}`
 * or 403 `{"verified": false, "error"}`. The verifier audits (with the origin) before it answers; this handler only
 * parses, calls it and counts the outcome.
 */
import type { AppContext, Provider } from '../src/app/context.js';
import { splitVerifyBody, underEnvelope } from '../src/core/monitoring/origin.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import { recordVerification } from '../src/http/observability.js';
import { readJsonBody } from '../src/http/request.js';
import { json } from '../src/http/responses.js';
import { routes } from './routes.js';

/** What the verify route uses: the verifier (over the registry, nonce, velocity and ledger stores and the stream). */
export type VerifyContext = Pick<AppContext, 'verifier'>;

/** The Lambda handler is wired in functions/lambda/verify.ts. */
export const createVerifyHandler = (contextProvider: Provider<VerifyContext>) =>
  createApiHandler<VerifyContext>({
    name: 'verify',
    routes: routes.filter((route) => route.group === 'verify'),
    contextProvider,
    implementations: {
      'POST /v1/actions/verify': async (request: AuthenticatedRequest<VerifyContext>) => {
        const body = readJsonBody(request.event);
        const { envelope, origin } = splitVerifyBody(body === undefined ? {} : body);
        const wrapped = envelope !== body;
        const result = await request.ctx.verifier
          .verify(request.principal.tenantId, envelope, origin)
          .catch((error: unknown) => Promise.reject(wrapped ? underEnvelope(error) : error));
        if (result.verified) {
          recordVerification('verified');
          const { agentId, fingerprint, riskScore, riskBand, auditId } = result;
          return json(200, { verified: true, agentId, fingerprint, riskScore, riskBand, auditId });
        }
        recordVerification('rejected', result.error.code);
        return json(403, { verified: false, error: result.error });
      },
    },
  });
