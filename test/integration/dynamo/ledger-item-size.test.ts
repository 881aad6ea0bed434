/**
 * Ledger items are sized by the bytes actually stored (issue 9): worst-case payloads, each the largest a 64 KiB request
 * body can carry, appended together from one process so they meet in the same group commit. Every append succeeds,
 * the chain verifies, and no stored item is larger than MAX_ITEM_BYTES counted in UTF-8 (DynamoDB's rule).
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { ledgerItemBytes, MAX_ITEM_BYTES } from '../../../src/adapters/aws/dynamo/ledger-item.js';
import { concurrently, freshTenant, TestClock, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';

const env = useEmulators();
const BODY_CAP = 64 * 1024;

/** The largest `payload` built by repeating `unit` (a JSON text fragment) whose envelope body stays ≤ 64 KiB. */
function largestPayload(kind: 'string' | 'array', unit: string): unknown {
  const envelopeRest = 400; // fingerprint, nonce, timestamp, signature and the field names
  const room = BODY_CAP - envelopeRest;
  const count = Math.floor(room / (Buffer.byteLength(unit, 'utf8') + (kind === 'array' ? 1 : 0)));
  const text =
    kind === 'string'
      ? `{"action":"x","blob":"${unit.repeat(count)}"}`
      : `{"action":"x","blob":[${`${unit},`.repeat(count - 1)}${unit}]}`;
  expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(room + 40);
  return JSON.parse(text);
}

const WORST_CASES: Record<string, unknown> = {
  backslashes: largestPayload('string', '\\\\'),
  quotes: largestPayload('string', '\\"'),
  fourByteCharacters: largestPayload('string', '😀'),
  escapedSurrogatePairs: largestPayload('string', '\\ud83d\\ude00'),
  controlCharacters: largestPayload('string', '\\u0001'),
  // 4 characters in the body, 21 in the stored JSON: the largest expansion a number can make.
  expandingNumbers: largestPayload('array', '9e20'),
};

describe('ledger item sizing against dynalite', () => {
  for (const [name, payload] of Object.entries(WORST_CASES)) {
    it(`25 concurrent appends of ${name} payloads all succeed in items ≤ MAX_ITEM_BYTES`, async () => {
      const tenant = freshTenant();
      const ledger = new DynamoLedger(env().doc, env().tableNames, new TestClock(1_764_190_000_000));
      const appended = await concurrently(25, (i) => ledger.append(auditInput(tenant, i, { payload })));
      expect(appended.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(await ledger.verify(tenant)).toMatchObject({ valid: true, entries: 25 });
      const stored = await env().doc.send(
        new QueryCommand({
          TableName: env().tableNames.ledger,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': tenant },
        }),
      );
      for (const item of stored.Items ?? []) expect(ledgerItemBytes(item)).toBeLessThanOrEqual(MAX_ITEM_BYTES);
      expect((await ledger.list(tenant, { limit: 100 })).items.map((e) => e.payload)).toEqual(Array(25).fill(payload));
    });
  }

  it('one append too large for any item fails alone; the appends queued with it are written', async () => {
    const tenant = freshTenant();
    const ledger = new DynamoLedger(env().doc, env().tableNames);
    const huge = { action: 'x', blob: 'a'.repeat(MAX_ITEM_BYTES) };
    const results = await Promise.allSettled([
      ledger.append(auditInput(tenant, 0)),
      ledger.append(auditInput(tenant, 1, { payload: huge })),
      ledger.append(auditInput(tenant, 2)),
      ledger.append(auditInput(tenant, 3)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await ledger.verify(tenant)).toMatchObject({ valid: true, entries: 3 });
  });
});

describe('ledgerItemBytes', () => {
  it('counts UTF-8 bytes of names and values, the most DynamoDB and dynalite (UTF-16 units) count', () => {
    expect(ledgerItemBytes({ pk: 't', sk: 1 })).toBe(2 + 1 + 2 + 21);
    expect(ledgerItemBytes({ e: '😀' })).toBe(1 + 4);
    expect(ledgerItemBytes({ e: 'é\\"' })).toBe(1 + 4);
    expect(ledgerItemBytes({ b: new Uint8Array(32) })).toBe(33);
    expect(() => ledgerItemBytes({ m: { nested: true } })).toThrow(TypeError);
  });
});
