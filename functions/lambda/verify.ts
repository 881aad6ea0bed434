/**
 * Lambda entry of POST /v1/actions/verify (functions/verify.ts): the verifier over the DynamoDB stores and the
 * Kinesis stream. No CA, no x509, no KMS: verification uses node:crypto on the stored public key.
 */
import { DynamoAgentStore } from '../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoCertificateStore } from '../../src/adapters/aws/dynamo/certificate-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { DynamoNonceStore } from '../../src/adapters/aws/dynamo/nonce-store.js';
import { DynamoVelocityStore } from '../../src/adapters/aws/dynamo/velocity-store.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createActionStream } from '../../src/app/aws/kinesis.js';
import { systemClock } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv, requireSetting } from '../../src/app/config.js';
import { createVerifier } from '../../src/app/verifier-factory.js';
import { reportStreamPublishFailure } from '../../src/http/observability.js';
import { createVerifyHandler, type VerifyContext } from '../verify.js';

const context = cachedProvider((): VerifyContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const { tables } = config;
  const ports = {
    // The state read also reads the agent's current risk, which the consumer keeps on the agent's monitoring item
    // (docs/behavior.md), in the same BatchGetItem.
    certificates: new DynamoCertificateStore(doc, tables, { riskTable: requireSetting(config, 'monitoringTable') }),
    agents: new DynamoAgentStore(doc, tables),
    nonces: new DynamoNonceStore(doc, tables),
    velocity: new DynamoVelocityStore(doc, tables),
    ledger: new DynamoLedger(doc, tables, systemClock),
    stream: createActionStream(config.actionStream),
    clock: systemClock,
  };
  // A failed stream publish goes to the structured log and the StreamPublishFailures metric (alarmed), not stderr.
  return { verifier: createVerifier(ports, config, { onStreamPublishFailure: reportStreamPublishFailure }) };
});

export const handler = createVerifyHandler(context);
