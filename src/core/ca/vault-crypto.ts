/**
 * A WebCrypto `Crypto` whose private keys live in a KeyVault. @peculiar/x509 signs certificates and CRLs through
 * `crypto.subtle.sign(algorithm, key, tbs)`; handing it a `VaultCryptoKey` routes that call to `KeyVault.sign`, so the
 * CA's private keys never enter the process. WebCrypto expects ECDSA signatures as raw r‖s while KMS (and the vault
 * port) return DER, so ECDSA results are converted here; without it every certificate would be silently invalid.
 * Every other operation (verify, digest, importKey…) is node's own WebCrypto.
 */
import { webcrypto } from 'node:crypto';
import type { KeyVault, SigningAlgorithm } from '../../ports.js';
import { ecdsaDerToRaw } from '../crypto/ecdsa-format.js';
import type { KeySpec } from '../model.js';
import { callPort } from '../verification/port-call.js';

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const RSA_PKCS1 = { name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } } as const;

/** A handle to a vault key, shaped like a WebCrypto private `CryptoKey`; it holds no key material. */
export class VaultCryptoKey implements CryptoKey {
  readonly type = 'private' as const;
  readonly extractable = false;
  readonly usages: KeyUsage[] = ['sign'];
  readonly algorithm: KeyAlgorithm;
  readonly signingAlgorithm: SigningAlgorithm;

  constructor(
    readonly keyId: string,
    readonly keySpec: KeySpec,
  ) {
    this.algorithm = keySpec === 'ECC_NIST_P256' ? { ...ECDSA_P256 } : { ...RSA_PKCS1 };
    this.signingAlgorithm = keySpec === 'ECC_NIST_P256' ? 'ECDSA_SHA_256' : 'RSASSA_PKCS1_V1_5_SHA_256';
  }

  /** The x509 `signingAlgorithm` parameter matching this key: always SHA-256. */
  get x509SigningAlgorithm(): Algorithm | EcdsaParams {
    return this.keySpec === 'ECC_NIST_P256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' };
  }
}

const toBytes = (data: BufferSource): Uint8Array =>
  data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

const hashName = (algorithm: AlgorithmIdentifier | EcdsaParams): string | undefined => {
  if (typeof algorithm === 'string') return undefined;
  const hash = (algorithm as { hash?: AlgorithmIdentifier }).hash;
  return typeof hash === 'string' ? hash : hash?.name;
};

/**
 * Builds the `Crypto` to pass to x509 generators. A `VaultCryptoKey` signs through `vault`; any other key is handed to
 * node's WebCrypto unchanged. Only SHA-256 is accepted for vault keys (that is what the vault signs).
 */
export function createVaultCrypto(vault: KeyVault): Crypto {
  const subtle = webcrypto.subtle as SubtleCrypto;
  const sign = async (
    algorithm: AlgorithmIdentifier | RsaPssParams | EcdsaParams,
    key: CryptoKey,
    data: BufferSource,
  ): Promise<ArrayBuffer> => {
    if (!(key instanceof VaultCryptoKey)) return subtle.sign(algorithm, key, data);
    const hash = hashName(algorithm) ?? hashName(key.algorithm as RsaHashedKeyAlgorithm);
    if (hash !== undefined && hash.toUpperCase() !== 'SHA-256') throw new Error('vault keys sign with SHA-256 only');
    // Any vault failure (even a domain error such as a missing key) is a dependency failure: 503, never a 4xx.
    const signature = await callPort('key vault', () => vault.sign(key.keyId, toBytes(data), key.signingAlgorithm));
    const webSignature = key.keySpec === 'ECC_NIST_P256' ? ecdsaDerToRaw(signature) : signature;
    return webSignature.slice().buffer as ArrayBuffer;
  };
  const vaultSubtle = new Proxy(subtle, {
    get(target, property) {
      if (property === 'sign') return sign;
      const value: unknown = Reflect.get(target, property, target);
      // node's SubtleCrypto methods check their receiver, so bind them to the real instance.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return {
    subtle: vaultSubtle,
    getRandomValues: <T extends ArrayBufferView | null>(array: T): T => webcrypto.getRandomValues(array as never) as T,
    randomUUID: () => webcrypto.randomUUID(),
  };
}
