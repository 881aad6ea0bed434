/**
 * Lambda entry of the certificate routes (functions/certificates.ts): DynamoDB stores and EventBridge eagerly; the CA
 * and the KMS vault on first use (issuance, signing, state), so the cold start stays small.
 */
import { DynamoAgentStore } from '../../src/adapters/aws/dynamo/agent-store.js';
import { DynamoCaStore } from '../../src/adapters/aws/dynamo/ca-store.js';
import { DynamoCertificateStore } from '../../src/adapters/aws/dynamo/certificate-store.js';
import { DynamoLedger } from '../../src/adapters/aws/dynamo/ledger.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { createEventPublisher } from '../../src/app/aws/eventbridge.js';
import { systemClock, systemRandom } from '../../src/app/aws/runtime.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { type CertificatesContext, createCertificatesHandler } from '../certificates.js';
import { lazyCa, lazyKmsVault } from './ca-loader.js';

const context = cachedProvider((): CertificatesContext => {
  const config = configFromEnv();
  const doc = createDocumentClient();
  const ports = {
    caStore: new DynamoCaStore(doc, config.tables),
    certificates: new DynamoCertificateStore(doc, config.tables),
    vault: lazyKmsVault(),
    clock: systemClock,
    random: systemRandom,
  };
  return {
    ...ports,
    ca: lazyCa(ports, config),
    agents: new DynamoAgentStore(doc, config.tables),
    ledger: new DynamoLedger(doc, config.tables, systemClock),
    events: createEventPublisher(config.eventBus),
  };
});

export const handler = createCertificatesHandler(context);
