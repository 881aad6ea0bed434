/**
 * A LangChain.js v1 agent whose tools are guarded by Kakunin middleware. The model is a scripted fake (no network):
 * swap in a real chat model and nothing else changes. The second charge exceeds the certificate's scope: the tool does
 * not run, and the model reads the refusal (code and field) as the tool's error result.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/langchain-agent.ts
 */
import { ToolGuard } from '@kakunin/sdk';
import { kakuninMiddleware } from '@kakunin/sdk/langchain';
import { fakeModel } from '@langchain/core/testing';
import { AIMessage, createAgent, tool } from 'langchain';
import { z } from 'zod';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const admin = kakuninFromEnv();
const agent = await admin.agents.create({ name: agentName('langchain-agent') });
const cert = await admin.agents.getCertificate(agent.id, {
  scope: { maxTransactionSize: 10000, allowedCounterparties: ['stripe'], allowedActions: ['process_payment'] },
});
const agentKey = await admin.apiKeys.create({ role: 'agent', agentId: agent.id });

const guard = new ToolGuard({
  apiKey: agentKey.key,
  agentId: agent.id,
  certificateFingerprint: cert.fingerprint,
  baseUrl: process.env.KAKUNIN_BASE_URL,
  // The tool's arguments name the customer; the scope check reads amount, currency and counterparty.
  toPayload: (args) => {
    const { amount, currency, customer_id } = args as { amount: number; currency: string; customer_id: string };
    return { amount, currency, counterparty: 'stripe', customer_id };
  },
});

const charges: string[] = [];
const processPayment = tool(
  async ({ amount, currency, customer_id }) => {
    charges.push(`${amount} ${currency} ${customer_id}`);
    return `Charged ${amount} ${currency} to ${customer_id}: ch_${charges.length}`;
  },
  {
    name: 'process_payment',
    description: 'Process a customer payment.',
    schema: z.object({ amount: z.number(), currency: z.string(), customer_id: z.string() }),
  },
);

const model = fakeModel()
  .respondWithTools([
    { name: 'process_payment', args: { amount: 9900, currency: 'EUR', customer_id: 'cus_1' }, id: 'call_1' },
    { name: 'process_payment', args: { amount: 50000, currency: 'EUR', customer_id: 'cus_2' }, id: 'call_2' },
  ])
  .respond(new AIMessage('One payment went through; the other was refused by policy.'));

const paymentsAgent = createAgent({ model, tools: [processPayment], middleware: [kakuninMiddleware(guard)] });
const result = await paymentsAgent.invoke({ messages: [{ role: 'user', content: 'Charge cus_1 and cus_2' }] });

const toolResults = result.messages
  .filter((m) => m.type === 'tool')
  .map((m) => ({ status: (m as unknown as { status?: string }).status, content: String(m.content) }));
printResult({ charges, toolResults, finalAnswer: String(result.messages.at(-1)?.content) });
