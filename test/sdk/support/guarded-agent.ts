/**
 * One agent with a scoped certificate on the real handlers (in-memory ports, in-process fetch), and ToolGuards for it:
 * what every integration test drives its framework's agent loop against.
 */
import {
  Kakunin,
  localSigner,
  OfflineVerifier,
  ToolGuard,
  type ToolGuardOptions,
} from '../../../packages/sdk/src/index.js';
import type { GuardLogEntry } from '../../../packages/sdk/src/tool-guard/guard-log.js';
import { csrFor } from './csr.js';
import { BASE_URL, createTestApiWithAgent, harnessFetch, type TestApi } from './in-process-fetch.js';

/** `charge` up to 100 EUR to stripe; `lookup` allowed; nothing else. */
export const GUARDED_SCOPE = {
  maxTransactionSize: 100,
  currency: 'EUR',
  allowedActions: ['charge', 'lookup'],
  allowedCounterparties: ['stripe'],
};

export const PERMITTED_CHARGE = { amount: 50, currency: 'EUR', counterparty: 'stripe' };
export const OVERSIZED_CHARGE = { amount: 500, currency: 'EUR', counterparty: 'stripe' };

export interface GuardedAgent {
  api: TestApi;
  admin: string;
  agentId: string;
  fingerprint: string;
  client: Kakunin;
  logs: GuardLogEntry[];
  guard(options?: Partial<ToolGuardOptions>): ToolGuard;
}

export async function guardedAgent(name = 'guarded-agent'): Promise<GuardedAgent> {
  const { api, admin, agentId } = await createTestApiWithAgent(name);
  const client = new Kakunin({ baseUrl: BASE_URL, apiKey: admin, fetch: harnessFetch(api), retries: 0 });
  const cert = await client.agents.getCertificate(agentId, { scope: GUARDED_SCOPE });
  const logs: GuardLogEntry[] = [];
  return {
    api,
    admin,
    agentId,
    fingerprint: cert.fingerprint,
    client,
    logs,
    guard: (options = {}) =>
      new ToolGuard({
        agentId,
        certificateFingerprint: cert.fingerprint,
        client,
        logger: (entry) => logs.push(entry),
        ...options,
      }),
  };
}

/** The ledger's verification entries for the agent (the service's own record of what it was asked to verify). */
export async function auditedVerifications(agent: GuardedAgent): Promise<{ type: string; errorCode?: string }[]> {
  return agent.api.ports.ledger
    .rawChain('t1')
    .filter(
      (entry) =>
        entry.actorId === agent.agentId && (entry.type === 'action.verified' || entry.type === 'action.rejected'),
    )
    .map((entry) => ({ type: entry.type, ...(entry.errorCode === undefined ? {} : { errorCode: entry.errorCode }) }));
}

/** An offline verifier pinned to the harness tenant's root, reading its CRL, on the harness clock. */
export async function offlineVerifierFor(agent: GuardedAgent, certificates: string[] = []): Promise<OfflineVerifier> {
  const chainPem = await agent.client.ca.chain('t1');
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return new OfflineVerifier({
    rootPem: `${blocks.at(-1)}\n`,
    chainPem,
    crl: () => agent.client.ca.crl('t1'),
    certificates,
    clock: { now: () => agent.api.clock.now() },
  });
}

/** A certificate for a key this process holds (CSR), with the guarded scope, and a signer on the harness clock. */
export async function localCertificate(agent: GuardedAgent) {
  const { csr, privateKeyPem } = await csrFor('ec');
  const cert = await agent.client.agents.getCertificate(agent.agentId, { scope: GUARDED_SCOPE, csr });
  return { cert, privateKeyPem, signer: localSigner(privateKeyPem), clock: { now: () => agent.api.clock.now() } };
}
