/**
 * `@kakunin/sdk/aws`: AWS-backed helpers for the offline verifier: a DynamoDB nonce store shared by every verifier
 * process. Needs `@aws-sdk/client-dynamodb` (an optional peer dependency).
 */
export { DynamoDbNonceStore, type DynamoDbNonceStoreOptions } from './nonce/dynamodb-nonce-store.js';
export type { NonceStore } from './nonce/nonce-store.js';
