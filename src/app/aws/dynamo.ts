/**
 * DynamoDB for the Lambda runtime: one document client per container, and one builder per store, so a function
 * bundles the store classes it uses and no others (the authorizer needs only the API-key store).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

export function createDocumentClient(): DynamoDBDocumentClient {
  const dynamo = new DynamoDBClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() });
  return DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
}
