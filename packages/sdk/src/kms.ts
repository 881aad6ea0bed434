/**
 * `@kakunin/sdk/kms`: `kmsSigner`, for an agent whose IAM role may call `kms:Sign` on its certificate's key
 * (`cert.kmsKeyArn`). The private key never leaves KMS. Needs `@aws-sdk/client-kms` (an optional peer dependency).
 */
export { type KmsSignerOptions, kmsSigner } from './signers/kms-signer.js';
