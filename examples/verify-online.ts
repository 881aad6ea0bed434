/**
 * A downstream system verifying what an agent sent (the guide's `verifySignedAction`), done by the service in one call:
 * certificate and chain, revocation, signature over the canonical envelope, timestamp, nonce (replay), scope, velocity
 * and risk. `certificates.verify` shows the certificate's status alone.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/verify-online.ts
 */
import { KakuninError, type SignedEnvelope, serviceSigner, signAction } from '@kakunin/sdk';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();
const agent = await kakunin.agents.create({ name: agentName('verify-online') });
const cert = await kakunin.agents.getCertificate(agent.id, {
  scope: { maxTransactionSize: 10000, allowedActions: ['charge'] },
});
const sign = (amount: number) =>
  signAction(
    { action: 'charge', amount, currency: 'EUR' },
    { certificateFingerprint: cert.fingerprint, signer: serviceSigner(kakunin, agent.id) },
  );

async function verifySignedAction(signedAction: SignedEnvelope) {
  // 1. Is the certificate valid and not revoked?
  const status = await kakunin.certificates.verify(signedAction.certificateFingerprint);
  if (!status.valid) throw new Error(`Certificate invalid: ${status.reason}`);
  // 2.–5. Signature, timestamp, nonce, scope, velocity, risk: the service checks all of them, in the contract's order.
  const result = await kakunin.actions.verify(signedAction);
  if (!result.verified) {
    throw new KakuninError(result.error.code, result.error.message, { status: 403, field: result.error.field });
  }
  return { verified: true, agentId: result.agentId };
}

const ok = await verifySignedAction(await sign(9900));
let refusal: { code: string; field?: string } | undefined;
try {
  await verifySignedAction(await sign(20000));
} catch (error) {
  if (!(error instanceof KakuninError)) throw error;
  refusal = { code: error.code, ...(error.field === undefined ? {} : { field: error.field }) };
}
printResult({ ok, refusal });
