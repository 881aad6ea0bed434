/**
 * `@kakunin/sdk`: the client, action signing, offline verification and webhook checks (docs/api.md §10).
 * Importing this entry point loads nothing from the AWS SDK: the KMS signer is in `@kakunin/sdk/kms`, the DynamoDB
 * nonce store in `@kakunin/sdk/aws`.
 */
// First: @peculiar/x509 (offline verification) needs the Reflect polyfill before it loads; import order is evaluation order.
import 'reflect-metadata';

export type * from './client/api-types.js';
export { Kakunin, type KakuninOptions } from './client/kakunin.js';
export type { PagePromise } from './client/pagination.js';
export { FINGERPRINT_PATTERN, fingerprintOf, pemToDer } from './crypto/fingerprint.js';
export { canonicalBytes } from './envelope/canonical.js';
export { isExactJsonNumber } from './envelope/exact-number.js';
export { parseEnvelopeJson } from './envelope/parse-envelope-json.js';
export { NONCE_PATTERN, parsePayload, parseSignedEnvelope, signedBytes } from './envelope/schema.js';
export { NONCE_BYTES, type SignActionOptions, signAction } from './envelope/sign-action.js';
export { parseJsonStrict } from './envelope/strict-json.js';
export { KakuninError, type KakuninErrorCode, VERIFICATION_CODES, type VerificationCode } from './errors.js';
export { MemoryNonceStore, type MemoryNonceStoreOptions } from './nonce/memory-nonce-store.js';
export type { NonceStore } from './nonce/nonce-store.js';
export { OfflineVerifier, type OfflineVerifierOptions, type VerifyOptions } from './offline/offline-verifier.js';
export { DEFAULT_SCOPE_OID, readScope } from './scope/read-scope.js';
export { checkScope, type ScopeViolation } from './scope/scope-check.js';
export { decodeScope, encodeScope } from './scope/scope-codec.js';
export { localSigner } from './signers/local-signer.js';
export { type SignRouteClient, serviceSigner } from './signers/service-signer.js';
export type { BytesSigner, Clock, EnvelopeSigner, Signer } from './signers/signer.js';
export { systemClock } from './signers/signer.js';
export type { GuardLogEntry, GuardLogger } from './tool-guard/guard-log.js';
export { defaultToPayload, type ToPayload } from './tool-guard/payload.js';
export { refusalText } from './tool-guard/refusal.js';
export {
  type EnvelopeVerifier,
  type GuardDecision,
  ToolGuard,
  type ToolGuardOptions,
} from './tool-guard/tool-guard.js';
export type * from './types.js';
export type {
  CertificateIssuedEvent,
  CertificateRevokedEvent,
  KakuninEvent,
  PreRevocationWarningEvent,
} from './webhooks/events.js';
export { verifyWebhook, type WebhookHeaders } from './webhooks/verify-webhook.js';
export {
  type CheckRevocationInput,
  checkRevocation,
  DEFAULT_MAX_CRL_AGE_MS,
  type RevocationResult,
  type RevocationStatus,
} from './x509/check-revocation.js';
