/** KmsKeyVault.scheduleDeletion sends ScheduleKeyDeletion with KMS's shortest window (real SDK command objects). */
import { ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import { KEY_DELETION_WINDOW_DAYS, KmsKeyVault } from '../../../../src/adapters/aws/kms-key-vault.js';
import { KakuninError } from '../../../../src/core/errors.js';
import { FakeKms } from './fake-kms.js';

describe('KmsKeyVault.scheduleDeletion', () => {
  it('schedules deletion after 7 days, reports it as a KMS call, and the key stops signing', async () => {
    const kms = new FakeKms();
    const calls: string[] = [];
    const vault = new KmsKeyVault({ client: kms.client, onCall: ({ operation }) => calls.push(operation) });
    const keyId = await vault.createKey('ECC_NIST_P256', { tenantId: 't1', purpose: 'agent', agentId: 'a_1' });
    await vault.getPublicKey(keyId);
    await vault.scheduleDeletion(keyId);
    expect(KEY_DELETION_WINDOW_DAYS).toBe(7);
    expect(kms.stub.commandCalls(ScheduleKeyDeletionCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: keyId, PendingWindowInDays: 7 },
    ]);
    expect(kms.stateOf(keyId)).toBe('PendingDeletion');
    expect(calls).toContain('ScheduleKeyDeletion');
    const after = await vault.sign(keyId, new Uint8Array([1]), 'ECDSA_SHA_256').catch((e: unknown) => e);
    expect(after).toBeInstanceOf(KakuninError);
  });

  it('refuses a malformed key id before calling KMS', async () => {
    const kms = new FakeKms();
    const vault = new KmsKeyVault({ client: kms.client });
    await expect(vault.scheduleDeletion('')).rejects.toBeInstanceOf(KakuninError);
    expect(kms.stub.commandCalls(ScheduleKeyDeletionCommand)).toHaveLength(0);
  });
});
