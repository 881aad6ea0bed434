/**
 * Known answers for the C2SP signed-note format: the specification's own example, and Go's sumdb/note tests (the
 * same text signed with the same key must give the same bytes: Ed25519 is deterministic).
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  openNote,
  parseNote,
  parseVerifierKey,
  rawEd25519FromSpki,
  signNote,
  verifierKey,
} from '../../../../src/core/ledger/signed-note.js';
import { ed25519FromSeed, ed25519Signer } from './ed25519-seed.js';

const vectors = JSON.parse(
  readFileSync(new URL('../../../fixtures/vectors/signed-note/vectors.json', import.meta.url), 'utf8'),
) as {
  c2spSpecExample: { vkey: string; note: string; text: string };
  goNoteTests: {
    peterVkey: string;
    peterSkey: string;
    enochVkey: string;
    text: string;
    signed: string;
    enochSig: string;
    badVkeys: string[];
  };
};
const spec = vectors.c2spSpecExample;
const go = vectors.goNoteTests;

describe('C2SP signed-note: the specification example', () => {
  it('its verifier key parses and the example note opens to its text', () => {
    const verifier = parseVerifierKey(spec.vkey);
    expect(verifier.name).toBe('example.com/foo');
    expect(verifier.keyHash).toBe(0x530d903a);
    expect(openNote(spec.note, verifier)).toBe(spec.text);
    expect(verifierKey(verifier.name, verifier.publicKey)).toBe(spec.vkey);
  });

  it('a changed text, signature or key hash does not open', () => {
    const verifier = parseVerifierKey(spec.vkey);
    expect(() => openNote(spec.note.replace('example message', 'exemple message'), verifier)).toThrow();
    const flipped = spec.note.replace('Uw2QOkn8', 'Uw2QOkn9');
    expect(() => openNote(flipped, verifier)).toThrow();
    expect(() => openNote(spec.note, { ...verifier, keyHash: verifier.keyHash ^ 1 })).toThrow(/no signature/);
  });
});

describe("Go's golang.org/x/mod/sumdb/note tests", () => {
  const seed = Buffer.from(go.peterSkey.split('+').slice(4).join('+'), 'base64').subarray(1);
  const key = ed25519FromSeed(seed);
  const publicKey = rawEd25519FromSpki(createPublicKey(key).export({ format: 'der', type: 'spki' }));

  it('TestSign: the same text and key give the same signed note, byte for byte', async () => {
    expect(await signNote(go.text, 'PeterNeumann', publicKey, ed25519Signer(key))).toBe(go.signed);
    expect(verifierKey('PeterNeumann', publicKey)).toBe(go.peterVkey);
  });

  it('TestOpen: opens with the right key among several signatures, ignores unknown ones', () => {
    const both = `${go.signed}${go.enochSig}`;
    expect(openNote(both, parseVerifierKey(go.peterVkey))).toBe(go.text);
    expect(openNote(both, parseVerifierKey(go.enochVkey))).toBe(go.text);
    const forgedEnoch = both.replace('rwz+eBzm', 'rwz+eBzn');
    expect(() => openNote(forgedEnoch, parseVerifierKey(go.enochVkey))).toThrow(/does not verify/);
    expect(parseNote(both).signatures.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('TestNewVerifier: every substring and every one-byte change of the key is refused', () => {
    expect(() => parseVerifierKey(go.peterVkey)).not.toThrow();
    const bytes = go.peterVkey;
    for (let i = 0; i <= bytes.length; i += 1) {
      for (let j = i + 1; j <= bytes.length; j += 1) {
        if (i === 0 && j === bytes.length) continue;
        expect(() => parseVerifierKey(bytes.slice(i, j)), bytes.slice(i, j)).toThrow();
      }
    }
    for (let i = 0; i < bytes.length; i += 1) {
      const changed = bytes.slice(0, i) + String.fromCharCode(bytes.charCodeAt(i) + 1) + bytes.slice(i + 1);
      expect(() => parseVerifierKey(changed), changed).toThrow();
    }
    for (const bad of go.badVkeys) expect(() => parseVerifierKey(bad)).toThrow();
  });

  it('refuses malformed notes: no blank line, no signature, a control character, a bad signature line', () => {
    const verifier = parseVerifierKey(go.peterVkey);
    expect(() => openNote(go.text, verifier)).toThrow();
    expect(() => openNote(`${go.text}\n`, verifier)).toThrow();
    expect(() => openNote(go.signed.replace('If you', 'If\u0007you'), verifier)).toThrow();
    expect(() => openNote(go.signed.replace('— PeterNeumann', '- PeterNeumann'), verifier)).toThrow();
    expect(() => openNote(go.signed.replace('x08go', 'x08go x'), verifier)).toThrow();
  });
});
