/**
 * The guide's Layer 2: wrap every tool with ToolGuard. Each call is signed as an action under the agent's certificate
 * and verified before the tool runs; a refused call throws a KakuninError (code and field) and the tool never runs.
 * Here the agent gets its own `agent` key (least privilege) and its certificate file, as a pod would have them mounted.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/tool-guard.ts
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KakuninError, ToolGuard } from '@kakunin/sdk';
import { agentName, baseUrl, kakuninFromEnv, printResult } from './support/env.js';

// --- what the platform provisions (Kubernetes: a secret volume and env vars) ---
const admin = kakuninFromEnv();
const agent = await admin.agents.create({ name: agentName('payment-agent') });
const cert = await admin.agents.getCertificate(agent.id, {
  scope: { maxTransactionSize: 10000, allowedCounterparties: ['stripe'], allowedActions: ['charge', 'refund'] },
});
const agentKey = await admin.apiKeys.create({ role: 'agent', agentId: agent.id });
const certDir = mkdtempSync(join(tmpdir(), 'kakunin-certs-'));
writeFileSync(join(certDir, 'cert.pem'), cert.pem);
process.env.AGENT_ID = agent.id;

// A stand-in for the payment provider's client, recording what actually ran.
const executed: string[] = [];
const stripe = {
  charges: {
    create: async (params: { amount: number }) => {
      executed.push(`charge ${params.amount}`);
      return { id: 'ch_1' };
    },
  },
  refunds: {
    create: async (params: { amount: number }) => {
      executed.push(`refund ${params.amount}`);
      return { id: 're_1' };
    },
  },
};

// --- the agent's code, as in the guide ---
const guard = new ToolGuard({
  apiKey: agentKey.key,
  agentId: process.env.AGENT_ID,
  certificatePath: join(certDir, 'cert.pem'),
  kmsKeyArn: process.env.KMS_KEY_ARN, // unset locally: the service signs with the key it holds
  baseUrl,
});

// Wrap every tool
const tools = {
  charge: guard.wrap('charge', async (params: { amount: number; currency: string; counterparty: string }) => {
    // Guard checks: cert valid? amount within scope? counterparty allowed?
    // Throws if any check fails — LLM gets tool error, not unguarded execution
    return await stripe.charges.create(params);
  }),
  refund: guard.wrap('refund', async (params: { amount: number; currency: string; counterparty: string }) => {
    return await stripe.refunds.create(params);
  }),
};

const attempt = async (run: () => Promise<unknown>) => {
  try {
    await run();
    return 'ran';
  } catch (error) {
    if (error instanceof KakuninError) return { code: error.code, field: error.field };
    throw error;
  }
};

printResult({
  permitted: await attempt(() => tools.charge({ amount: 9900, currency: 'EUR', counterparty: 'stripe' })),
  tooLarge: await attempt(() => tools.charge({ amount: 12000, currency: 'EUR', counterparty: 'stripe' })),
  wrongCounterparty: await attempt(() => tools.refund({ amount: 100, currency: 'EUR', counterparty: 'mallory' })),
  executed,
});
