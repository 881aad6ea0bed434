/**
 * AuditEntryInput.id (issue 9): the verifier names an audit entry before appending it, so the stream can be handed the
 * action in the same round trip. Both ledgers store a well-formed caller id as the entry's id (and hash it into the
 * chain), and make their own for a missing or malformed one.
 */
import { describe, expect, it } from 'vitest';
import { DynamoLedger } from '../../../src/adapters/aws/dynamo/ledger.js';
import { MemoryLedger } from '../../../src/adapters/memory/memory-ledger.js';
import type { Ledger } from '../../../src/ports.js';
import { freshTenant, useEmulators } from '../support/emulators.js';
import { auditInput } from '../support/records.js';

const env = useEmulators();
const ID = `aud_${'0123456789abcdef'.repeat(2)}`;

async function honoursCallerIds(ledger: Ledger) {
  const tenant = freshTenant();
  const named = await ledger.append({ ...auditInput(tenant, 1), id: ID });
  expect(named.id).toBe(ID);
  for (const bad of ['aud_XYZ', 'evil', `aud_${'0'.repeat(33)}`, '']) {
    const made = await ledger.append({ ...auditInput(tenant, 2), id: bad });
    expect(made.id).toMatch(/^aud_[0-9a-f]{32}$/);
    expect(made.id).not.toBe(bad);
  }
  const plain = await ledger.append(auditInput(tenant, 3));
  expect(plain.id).toMatch(/^aud_[0-9a-f]{32}$/);
  expect(await ledger.verify(tenant)).toMatchObject({ valid: true, entries: 6 });
  const listed = await ledger.list(tenant, { limit: 10 });
  expect(listed.items[0]?.id).toBe(ID);
}

describe('caller-chosen audit entry ids', () => {
  it('DynamoLedger (dynalite) stores and chains them', async () => {
    await honoursCallerIds(new DynamoLedger(env().doc, env().tableNames));
  });

  it('MemoryLedger stores and chains them', async () => {
    await honoursCallerIds(new MemoryLedger());
  });
});
