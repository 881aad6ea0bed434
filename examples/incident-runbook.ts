/**
 * The incident runbook: freeze the agent (suspend: its key can no longer sign, and every action under its certificates
 * is refused with AGENT_SUSPENDED), pull the audit trail of the incident window, then revoke the certificate.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/incident-runbook.ts [agentId certificateFingerprint]
 * Without arguments it first makes an agent with some activity to investigate.
 */
import { KakuninError, serviceSigner, signAction } from '@kakunin/sdk';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();
let [agentId, fingerprint] = process.argv.slice(2);
const incidentStart = new Date(Date.now() - 60_000);

if (agentId === undefined || fingerprint === undefined) {
  const agent = await kakunin.agents.create({ name: agentName('suspect-agent') });
  const cert = await kakunin.agents.getCertificate(agent.id, {
    scope: { allowedActions: ['charge'], maxTransactionSize: 100 },
  });
  agentId = agent.id;
  fingerprint = cert.fingerprint;
  for (const amount of [40, 90, 5000]) {
    const envelope = await signAction(
      { action: 'charge', amount, currency: 'EUR' },
      { certificateFingerprint: fingerprint, signer: serviceSigner(kakunin, agentId) },
    );
    await kakunin.actions.verify(envelope);
  }
}

// 1. Freeze: suspend the agent. Nothing signs or verifies under it (or its sub-agents) from now on.
const frozen = await kakunin.agents.update(agentId, { status: 'suspended' });
let afterFreeze: string;
try {
  const envelope = await signAction(
    { action: 'charge', amount: 1, currency: 'EUR' },
    { certificateFingerprint: fingerprint, signer: serviceSigner(kakunin, agentId) },
  );
  const result = await kakunin.actions.verify(envelope);
  afterFreeze = result.verified ? 'verified' : result.error.code;
} catch (error) {
  if (!(error instanceof KakuninError)) throw error;
  afterFreeze = error.code; // the sign route itself may refuse a suspended agent
}

// 2. Pull the audit range: every verification, refusal and issuance for the agent in the incident window.
let audit: { available: boolean; entries?: { type: string; errorCode?: string }[] };
try {
  const entries: { type: string; errorCode?: string }[] = [];
  for await (const entry of kakunin.audit.list({ actorId: agentId, from: incidentStart, to: new Date() })) {
    entries.push({ type: entry.type, ...(entry.errorCode === undefined ? {} : { errorCode: entry.errorCode }) });
  }
  audit = { available: true, entries };
} catch (error) {
  if (!(error instanceof KakuninError) || error.status !== 404) throw error;
  console.error('This service has no audit route yet (GET /v1/audit answered 404).');
  audit = { available: false };
}

// 3. Revoke: the certificate is dead everywhere, including for offline verifiers reading the CRL.
const revoked = await kakunin.certificates.revoke(fingerprint, 'keyCompromise');
const status = await kakunin.certificates.verify(fingerprint);

printResult({
  agentId,
  frozen: frozen.status,
  afterFreeze,
  audit,
  revoked: revoked.status,
  certificate: { valid: status.valid, reason: status.reason },
});
