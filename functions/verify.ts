/**
 * POST /v1/actions/verify (contract §4): 200 `{"verified": true, …}` or 403 `{"verified": false, "error"}`. The
 * verifier audits before it answers; this handler only parses, calls it and counts the outcome.
 */
import type { AppContext, Provider } from '../src/app/context.js';
import { type AuthenticatedRequest, createApiHandler } from '../src/http/api-handler.js';
import { recordVerification } from '../src/http/observability.js';
import { parseWith, readJsonBody } from '../src/http/request.js';
import { json } from '../src/http/responses.js';
import { verifyWrapperSchema } from '../src/http/schemas.js';
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
        const body = readJsonBody(request.event) ?? {};
        // A verifier that saw the agent's request may wrap the envelope with its origin (audited, not signed).
        const wrapped =
          typeof body === 'object' && body !== null && Object.hasOwn(body, 'envelope')
            ? parseWith(verifyWrapperSchema, body)
            : undefined;
        const result =
          wrapped === undefined
            ? await request.ctx.verifier.verify(request.principal.tenantId, body)
            : await request.ctx.verifier.verify(request.principal.tenantId, wrapped.envelope, wrapped.origin);
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
