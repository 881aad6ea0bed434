/** Lambda entry of the agents and API-keys routes (functions/agents.ts): DynamoDB stores only. */
import { DynamoAgentStore } from '../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoApiKeyStore } from '../../src/adapters/aws/dynamo/api-key-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { systemClock, systemRandom } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { type AgentsContext, createAgentsHandler } from '../agents.js';

const context = cachedProvider((): AgentsContext => {
  const { tables } = configFromEnv();
  const doc = createDocumentClient();
  return {
    agents: new DynamoAgentStore(doc, tables),
    apiKeys: new DynamoApiKeyStore(doc, tables),
    ledger: new DynamoLedger(doc, tables, systemClock),
    clock: systemClock,
    random: systemRandom,
  };
});

export const handler = createAgentsHandler(context);
