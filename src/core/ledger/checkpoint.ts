/**
 * C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): the note text `<origin>\n<tree size>\n<base64 root>\n`,
 * signed as a signed-note (signed-note.ts). The origin is `<host>/kakunin/<tenant id>` (docs/api.md §7) and is also
 * the signing key's name, so a verifier key names the one log it vouches for.
 */
import type { Hash } from './merkle.js';

export interface Checkpoint {
  origin: string;
  size: number;
  rootHash: Hash;
}

export function logOrigin(host: string, tenantId: string): string {
  return `${host}/kakunin/${tenantId}`;
}

export function checkpointText(checkpoint: Checkpoint): string {
  if (checkpoint.rootHash.length !== 32) throw new RangeError('a root hash is 32 bytes');
  if (!Number.isSafeInteger(checkpoint.size) || checkpoint.size < 0) throw new RangeError('invalid tree size');
  if (checkpoint.origin.length === 0 || /[\n\r]/.test(checkpoint.origin)) throw new RangeError('invalid origin');
  return `${checkpoint.origin}\n${checkpoint.size}\n${Buffer.from(checkpoint.rootHash).toString('base64')}\n`;
}

/** Parses a checkpoint's note text (extension lines after the root are allowed and ignored, as the spec says). */
export function parseCheckpointText(text: string): Checkpoint {
  const lines = text.split('\n');
  const [origin, sizeText, rootText] = lines;
  if (origin === undefined || origin.length === 0 || sizeText === undefined || rootText === undefined) {
    throw new SyntaxError('malformed checkpoint');
  }
  if (!/^(0|[1-9][0-9]*)$/.test(sizeText)) throw new SyntaxError('malformed checkpoint size');
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) throw new SyntaxError('checkpoint size out of range');
  const rootHash = Buffer.from(rootText, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== rootText) {
    throw new SyntaxError('malformed checkpoint root hash');
  }
  return { origin, size, rootHash: new Uint8Array(rootHash) };
}
