/** Signs an envelope the way a client holding its own key does (contract §4): JCS bytes, SHA-256, DER ECDSA. */
import { randomBytes, sign } from 'node:crypto';
import canonicalize from 'canonicalize';

export function signEnvelope(
  keyPem: string,
  certificateFingerprint: string,
  payload: Record<string, unknown>,
  nonce = randomBytes(16).toString('base64url'),
) {
  const unsigned = { payload, certificateFingerprint, timestamp: Date.now(), nonce };
  const bytes = Buffer.from(canonicalize(unsigned) ?? '', 'utf8');
  const signature = sign('sha256', bytes, { key: keyPem, dsaEncoding: 'der' }).toString('base64');
  return { ...unsigned, signature };
}
