/**
 * Where the offline verifier remembers nonces (docs/api.md §4 check 4: a nonce passes once per certificate). A Redis or
 * DynamoDB store implements this one method; `@kakunin/sdk/aws` ships a DynamoDB one.
 */
export interface NonceStore {
  /**
   * Records `nonce` for `certificateFingerprint` until `expiresAt` (epoch ms) and resolves true, or resolves false
   * when it was already recorded and has not expired. Must be atomic: of concurrent calls with the same pair, exactly
   * one resolves true. Rejecting (store unreachable) makes the verifier fail closed.
   */
  claim(certificateFingerprint: string, nonce: string, expiresAt: number): Promise<boolean>;
}
