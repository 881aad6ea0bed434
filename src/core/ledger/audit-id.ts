/**
 * Audit entry ids: `aud_` + the seq (16 hex digits) + 64 random bits. The seq lets the proof route find an entry from
 * its id in one read; the random part keeps ids from being guessed from a seq. The random bits come from a pooled
 * buffer refilled 512 ids at a time: one `randomBytes(8)` per append cost more than the rest of the id and showed in
 * the verifier's profile (docs/verification.md, "Performance"). Same CSPRNG, same bits, fewer calls.
 */
import { randomFillSync } from 'node:crypto';

const POOL = Buffer.alloc(8 * 512);
let offset = POOL.length;

export function newAuditId(seq: number): string {
  if (offset === POOL.length) {
    randomFillSync(POOL);
    offset = 0;
  }
  const random = POOL.toString('hex', offset, offset + 8);
  offset += 8;
  return `aud_${seq.toString(16).padStart(16, '0')}${random}`;
}
