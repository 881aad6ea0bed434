/**
 * `@kakunin/sdk/aws`: AWS-backed helpers for the offline verifier (a DynamoDB nonce store). Needs
 * `@aws-sdk/client-dynamodb` (an optional peer dependency). Lands with the offline verifier.
 */
export type { NonceStore } from './nonce/nonce-store.js';
