/**
 * Sign an action with a key the agent holds itself (certificate issued for a CSR), then have it verified. The guide's
 * `signAction` with KMS works the same with `kmsSigner({ keyId: cert.kmsKeyArn })` from `@kakunin/sdk/kms`.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/sign-locally.ts
 */
import { localSigner, signAction } from '@kakunin/sdk';
import { keyAndCsr } from './support/csr.js';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();
const name = agentName('local-signer');
const agent = await kakunin.agents.create({ name });
const { csr, privateKeyPem } = await keyAndCsr(name);
const cert = await kakunin.agents.getCertificate(agent.id, {
  scope: { maxTransactionSize: 10000, allowedActions: ['charge'], allowedCounterparties: ['stripe'] },
  csr,
});

const envelope = await signAction(
  { action: 'charge', amount: 9900, currency: 'EUR', counterparty: 'stripe' },
  { certificateFingerprint: cert.fingerprint, signer: localSigner(privateKeyPem) },
);
const verified = await kakunin.actions.verify(envelope);
// The same envelope again is a replay: the nonce was used.
const replayed = await kakunin.actions.verify(envelope);

printResult({
  agentId: agent.id,
  envelopeFields: Object.keys(envelope).sort(),
  verified: verified.verified,
  replay: replayed.verified ? 'accepted' : replayed.error.code,
});
