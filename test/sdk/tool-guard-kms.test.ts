/**
 * ToolGuard's `kmsKeyArn` path (the guide's configuration): the KMS signer is loaded on first use through a dynamic
 * import, signs with KMS `Sign` (MessageType DIGEST) through the real @aws-sdk/client-kms command objects, here answered
 * by aws-sdk-client-mock backed by a real node:crypto P-256 key whose certificate the service issued for a CSR. The
 * service verifies what KMS signed.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type SignCommandInput } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ecdsaSignDigest } from '../unit/adapters/key-vault/digest-signer.js';
import { csrFor } from './support/csr.js';
import {
  GUARDED_SCOPE,
  type GuardedAgent,
  guardedAgent,
  OVERSIZED_CHARGE,
  PERMITTED_CHARGE,
} from './support/guarded-agent.js';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0f0e0d0c-0b0a-4908-8706-050403020100';
// Every KMSClient in this test file (ToolGuard builds its own, as it would in a pod with IRSA).
const kms = mockClient(KMSClient);
afterAll(() => kms.restore());

let agent: GuardedAgent;
beforeEach(async () => {
  agent = await guardedAgent('kms-guard');
  kms.reset();
});

describe('ToolGuard with kmsKeyArn', () => {
  it('signs each call with KMS (DIGEST) and runs the tool only when the service verified it', async () => {
    const { csr, privateKeyPem } = await csrFor('ec');
    const privateKey = createPrivateKey(privateKeyPem);
    const cert = await agent.client.agents.getCertificate(agent.agentId, { scope: GUARDED_SCOPE, csr });
    kms.on(GetPublicKeyCommand).resolves({
      KeyId: KEY_ARN,
      KeySpec: 'ECC_NIST_P256',
      PublicKey: new Uint8Array(createPublicKey(privateKey).export({ type: 'spki', format: 'der' })),
    });
    kms.on(SignCommand).callsFake((input: SignCommandInput) => ({
      KeyId: KEY_ARN,
      Signature: new Uint8Array(ecdsaSignDigest(privateKey, input.Message as Uint8Array)),
      SigningAlgorithm: input.SigningAlgorithm,
    }));
    const guard = agent.guard({
      certificateFingerprint: cert.fingerprint,
      kmsKeyArn: KEY_ARN,
      clock: { now: () => agent.api.clock.now() },
    });
    const tool = vi.fn(async (params: { amount: number }) => `charged ${params.amount}`);
    const charge = guard.wrap('charge', tool);

    await expect(charge(PERMITTED_CHARGE)).resolves.toBe('charged 50');
    await expect(charge(OVERSIZED_CHARGE)).rejects.toMatchObject({ code: 'SCOPE_VIOLATION' });
    expect(tool).toHaveBeenCalledOnce();
    const signs = kms.commandCalls(SignCommand).map((call) => call.args[0].input);
    expect(signs).toHaveLength(2);
    for (const input of signs) {
      expect(input).toMatchObject({ KeyId: KEY_ARN, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' });
      expect(input.Message?.length).toBe(32);
    }
  });

  it('fails closed when KMS refuses: UNAVAILABLE, the tool does not run', async () => {
    kms.on(GetPublicKeyCommand).rejects(new Error('AccessDeniedException'));
    const tool = vi.fn(async (_params?: unknown) => 'charged');
    const charge = agent.guard({ kmsKeyArn: KEY_ARN }).wrap('charge', tool);
    await expect(charge(PERMITTED_CHARGE)).rejects.toMatchObject({ name: 'KakuninError', code: 'UNAVAILABLE' });
    expect(tool).not.toHaveBeenCalled();
  });
});
