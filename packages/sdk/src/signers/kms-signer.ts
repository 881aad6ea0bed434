/**
 * Signs with AWS KMS: `Sign` with `MessageType: 'DIGEST'` over the SHA-256 of the envelope bytes (RAW is capped at
 * 4096 bytes). KMS returns ECDSA signatures DER-encoded, which is what docs/api.md §4 wants, so they pass through as-is.
 */
import { createHash } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SigningAlgorithmSpec } from '@aws-sdk/client-kms';
import { KakuninError } from '../errors.js';
import type { BytesSigner } from './signer.js';

export interface KmsSignerOptions {
  /** Key id or ARN (`cert.kmsKeyArn`). */
  keyId: string;
  /** @default a new KMSClient() with the default credential chain */
  client?: KMSClient;
  /** @default read once from the key's KeySpec (GetPublicKey): ECDSA_SHA_256 or RSASSA_PKCS1_V1_5_SHA_256 */
  signingAlgorithm?: 'ECDSA_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_256';
}

function algorithmFor(keySpec: string | undefined): SigningAlgorithmSpec {
  if (keySpec === 'ECC_NIST_P256') return 'ECDSA_SHA_256';
  if (keySpec === 'RSA_2048' || keySpec === 'RSA_3072' || keySpec === 'RSA_4096') return 'RSASSA_PKCS1_V1_5_SHA_256';
  throw new KakuninError('INVALID_REQUEST', `KMS key spec ${keySpec ?? '(none)'} cannot sign actions`, {
    status: 400,
    field: 'keyId',
  });
}

/** @example const signer = kmsSigner({ keyId: cert.kmsKeyArn! }); */
export function kmsSigner(options: KmsSignerOptions): BytesSigner {
  if (typeof options.keyId !== 'string' || options.keyId === '') throw new TypeError('keyId is required');
  const client = options.client ?? new KMSClient({});
  let algorithm: Promise<SigningAlgorithmSpec> | undefined =
    options.signingAlgorithm === undefined ? undefined : Promise.resolve(options.signingAlgorithm);
  const resolveAlgorithm = (): Promise<SigningAlgorithmSpec> => {
    algorithm ??= (async () => {
      try {
        const key = await client.send(new GetPublicKeyCommand({ KeyId: options.keyId }));
        return algorithmFor(key.KeySpec);
      } catch (error) {
        algorithm = undefined; // a transient failure must not stick
        throw error;
      }
    })();
    return algorithm;
  };
  return {
    kind: 'bytes',
    async sign(bytes) {
      const SigningAlgorithm = await resolveAlgorithm();
      const digest = createHash('sha256').update(bytes).digest();
      const answer = await client.send(
        new SignCommand({ KeyId: options.keyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm }),
      );
      if (answer.Signature === undefined) throw new KakuninError('UNAVAILABLE', 'KMS returned no signature');
      return new Uint8Array(answer.Signature);
    },
  };
}
