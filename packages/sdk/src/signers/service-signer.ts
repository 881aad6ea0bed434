import type { ActionPayload, SignedEnvelope } from '../types.js';
import type { EnvelopeSigner } from './signer.js';

/** The part of the client this signer needs: `POST /v1/agents/{id}/sign`. */
export interface SignRouteClient {
  agents: {
    sign(agentId: string, body: { payload: ActionPayload; certificateFingerprint: string }): Promise<SignedEnvelope>;
  };
}

/**
 * Signs through the service with the key it holds for the certificate (KMS when deployed), for agents without IAM
 * access to their key. The service chooses nonce and timestamp; its answer is a complete envelope.
 * @example const signer = serviceSigner(new Kakunin({ baseUrl, apiKey }), agentId);
 */
export function serviceSigner(client: SignRouteClient, agentId: string): EnvelopeSigner {
  return {
    kind: 'envelope',
    signEnvelope: (payload, certificateFingerprint) => client.agents.sign(agentId, { payload, certificateFingerprint }),
  };
}
