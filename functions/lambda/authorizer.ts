/**
 * Lambda entry of the API-key authorizer (functions/authorizer.ts). Bundles the DynamoDB document client and the
 * API-key store only: no KMS, Kinesis, EventBridge, CA or verifier.
 */
import { DynamoApiKeyStore } from '../../src/adapters/aws/dynamo/api-key-store.js';
import { createDocumentClient } from '../../src/app/aws/dynamo.js';
import { cachedProvider } from '../../src/app/cached-provider.js';
import { configFromEnv } from '../../src/app/config.js';
import { type AuthorizerContext, createAuthorizer } from '../authorizer.js';

const context = cachedProvider(
  (): AuthorizerContext => ({ apiKeys: new DynamoApiKeyStore(createDocumentClient(), configFromEnv().tables) }),
);

export const handler = createAuthorizer(context);
