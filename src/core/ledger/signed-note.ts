/**
 * C2SP signed-note (https://c2sp.org/signed-note) with Ed25519 signatures, as Go's golang.org/x/mod/sumdb/note
 * writes and reads them: text ending in a newline, a blank line, then one line per signature
 * `— <name> <base64(key hash ‖ signature)>`. The key hash is the first 4 bytes (big-endian) of
 * SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key); the verifier key is `<name>+<8 hex key hash>+<base64(0x01 ‖ public key)>`.
 * The signature is over the text bytes exactly. Signing is a callback so the private key can stay in the key vault.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

export const ED25519_ALGORITHM = 0x01;
const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteSignature {
  name: string;
  keyHash: number;
  /** base64 of key hash ‖ signature, as written on the line. */
  base64: string;
}

export interface NoteVerifier {
  name: string;
  keyHash: number;
  publicKey: Uint8Array;
}

/** A key name: non-empty, no whitespace, no '+' (the signed-note grammar). */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && [...name].every((c) => c.codePointAt(0)! > 0x20);
}

export function keyHash(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(name, 'utf8')
    .update('\n')
    .update(Uint8Array.of(ED25519_ALGORITHM))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** The verifier key text `<name>+<hash>+<base64(0x01 ‖ key)>` for a raw 32-byte Ed25519 public key. */
export function verifierKey(name: string, publicKey: Uint8Array): string {
  if (!isValidKeyName(name)) throw new RangeError('invalid key name');
  if (publicKey.length !== 32) throw new RangeError('an Ed25519 public key is 32 bytes');
  const hash = keyHash(name, publicKey).toString(16).padStart(8, '0');
  return `${name}+${hash}+${Buffer.concat([Uint8Array.of(ED25519_ALGORITHM), publicKey]).toString('base64')}`;
}

/** Parses a verifier key; throws on anything malformed (wrong hash, algorithm, length, name). */
export function parseVerifierKey(vkey: string): NoteVerifier {
  const match = /^([^+]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+=*)$/.exec(vkey.trim());
  if (match === null) throw new SyntaxError('malformed verifier key');
  const [, name, hashHex, keyBase64] = match as unknown as [string, string, string, string];
  const key = Buffer.from(keyBase64, 'base64');
  if (!isValidKeyName(name) || key.toString('base64') !== keyBase64) throw new SyntaxError('malformed verifier key');
  if (key.length !== 33 || key[0] !== ED25519_ALGORITHM) throw new SyntaxError('not an Ed25519 verifier key');
  const publicKey = new Uint8Array(key.subarray(1));
  if (keyHash(name, publicKey) !== Number.parseInt(hashHex, 16)) throw new SyntaxError('verifier key hash mismatch');
  return { name, keyHash: Number.parseInt(hashHex, 16), publicKey };
}

/** Signs `text` (ends in a newline) and returns the whole note: text, blank line, one signature line. */
export async function signNote(
  text: string,
  name: string,
  publicKey: Uint8Array,
  sign: (message: Uint8Array) => Promise<Uint8Array>,
): Promise<string> {
  checkText(text);
  if (!isValidKeyName(name)) throw new RangeError('invalid key name');
  const signature = await sign(Buffer.from(text, 'utf8'));
  if (signature.length !== 64) throw new RangeError('an Ed25519 signature is 64 bytes');
  const hash = Buffer.alloc(4);
  hash.writeUInt32BE(keyHash(name, publicKey));
  return `${text}\n${SIGNATURE_PREFIX}${name} ${Buffer.concat([hash, signature]).toString('base64')}\n`;
}

/** Text ends in a newline and has no control character but newline (it may hold empty lines: the spec allows it). */
function checkText(text: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the spec forbids exactly these characters.
  if (!text.endsWith('\n') || /[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new SyntaxError('malformed note text');
}

/** Splits a note at its last empty line into text and signature lines; throws when it is not a well-formed note. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new SyntaxError('malformed note');
  const text = note.slice(0, split + 1);
  checkText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX)) throw new SyntaxError('malformed note signature line');
    const [name, base64, extra] = line.slice(SIGNATURE_PREFIX.length).split(' ');
    if (name === undefined || base64 === undefined || extra !== undefined || !isValidKeyName(name)) {
      throw new SyntaxError('malformed note signature line');
    }
    const bytes = Buffer.from(base64, 'base64');
    if (bytes.length < 5 || bytes.toString('base64') !== base64) throw new SyntaxError('malformed note signature');
    return { name, keyHash: bytes.readUInt32BE(0), base64 };
  });
  if (signatures.length === 0) throw new SyntaxError('note has no signatures');
  return { text, signatures };
}

/**
 * Opens a note: its text when a signature by `verifier` (same name and key hash) verifies; throws otherwise. Other
 * signatures are ignored, as Go's note.Open does for unknown keys.
 */
export function openNote(note: string, verifier: NoteVerifier): string {
  const { text, signatures } = parseNote(note);
  const mine = signatures.filter((s) => s.name === verifier.name && s.keyHash === verifier.keyHash);
  if (mine.length === 0) throw new Error(`note has no signature by ${verifier.name}`);
  const key = ed25519PublicKey(verifier.publicKey);
  for (const signature of mine) {
    const bytes = Buffer.from(signature.base64, 'base64');
    if (bytes.length === 68 && verify(null, Buffer.from(text, 'utf8'), key, bytes.subarray(4))) return text;
  }
  throw new Error(`the signature by ${verifier.name} does not verify`);
}

/** A node:crypto public key from a raw 32-byte Ed25519 key (RFC 8410 SubjectPublicKeyInfo around it). */
export function ed25519PublicKey(raw: Uint8Array) {
  const spkiPrefix = Buffer.from('302a300506032b6570032100', 'hex');
  return createPublicKey({ key: Buffer.concat([spkiPrefix, raw]), format: 'der', type: 'spki' });
}

/** The raw 32-byte Ed25519 key inside a SubjectPublicKeyInfo DER. */
export function rawEd25519FromSpki(spki: Uint8Array): Uint8Array {
  const prefix = Buffer.from('302a300506032b6570032100', 'hex');
  if (spki.length !== 44 || !Buffer.from(spki.subarray(0, 12)).equals(prefix)) {
    throw new RangeError('not an Ed25519 SubjectPublicKeyInfo');
  }
  return new Uint8Array(spki.subarray(12));
}
