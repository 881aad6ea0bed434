/**
 * The guide's "Cryptographic Identity" snippet: register an agent and issue its certificate with a scope.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/register-agent.ts
 */
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();

// Register agent — one certificate per agent instance
const agent = await kakunin.agents.create({
  name: agentName('payment-processor-eu-v3'),
  metadata: {
    version: '3.1.0',
    deployment: 'k8s-eu-west-1',
    instance: process.env.POD_NAME ?? 'local', // per-pod identity
  },
});

const cert = await kakunin.agents.getCertificate(agent.id, {
  validityDays: 365,
  scope: {
    // Scope limits enforce authority at the cryptographic layer
    maxTransactionSize: 10000, // EUR
    allowedCounterparties: ['stripe', 'revolut'],
    allowedActions: ['charge', 'refund'],
    allowedRegions: ['eu-west-1', 'eu-central-1'],
  },
});

// cert.pem — public certificate (safe to share, embed in requests)
// cert.kmsKeyArn — private key stays in KMS, never leaves (deployed; `kakunin dev` holds it in its local key vault)
printResult({
  agentId: agent.id,
  status: agent.status,
  fingerprint: cert.fingerprint,
  scope: cert.scope,
  notAfter: cert.notAfter,
  hasPem: cert.pem.startsWith('-----BEGIN CERTIFICATE-----'),
  kmsKeyArn: cert.kmsKeyArn ?? null,
});
