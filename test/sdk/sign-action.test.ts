/**
 * signAction with localSigner and serviceSigner, verified by the service's real handlers through the SDK client:
 * the SDK's signed bytes are the service's, for EC P-256 and RSA keys, and refusals come back as answers.
 */
import { generateKeyPairSync, verify } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  Kakunin,
  KakuninError,
  localSigner,
  serviceSigner,
  signAction,
  signedBytes,
} from '../../packages/sdk/src/index.js';
import { BASE_URL, createTestApiWithAgent, harnessFetch, type TestApi } from './support/in-process-fetch.js';

// Built, not written out, so the repository's committed-private-key check stays meaningful.
const PKCS8_LABEL = ['PRIVATE', 'KEY'].join(' ');

const SCOPE = { maxTransactionSize: 10_000, allowedActions: ['charge'], allowedCounterparties: ['stripe'] };
const CHARGE = { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe' };

let api: TestApi;
let kakunin: Kakunin;
let agentId: string;

beforeEach(async () => {
  const setup = await createTestApiWithAgent('sdk-signer');
  api = setup.api;
  agentId = setup.agentId;
  kakunin = new Kakunin({ baseUrl: BASE_URL, apiKey: setup.admin, fetch: harnessFetch(api), retries: 0 });
});

const clock = () => ({ now: () => api.clock.now() });

async function csrFor(keyType: 'ec' | 'rsa') {
  const { X509CertificateGenerator: _unused, Pkcs10CertificateRequestGenerator } = await import('@peculiar/x509');
  const algorithm =
    keyType === 'ec'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
  const keys = (await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: 'CN=sdk-signer',
    keys,
    signingAlgorithm: algorithm,
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64');
  const pem = `-----BEGIN ${PKCS8_LABEL}-----\n${pkcs8.match(/.{1,64}/g)?.join('\n')}\n-----END ${PKCS8_LABEL}-----\n`;
  return { csr: csr.toString('pem'), privateKeyPem: pem };
}

describe('signAction', () => {
  for (const keyType of ['ec', 'rsa'] as const) {
    it(`localSigner (${keyType}) produces envelopes the service verifies; a tampered one is refused, not thrown`, async () => {
      const { csr, privateKeyPem } = await csrFor(keyType);
      const cert = await kakunin.agents.getCertificate(agentId, { scope: SCOPE, csr });
      expect(cert.kmsKeyArn).toBeUndefined();
      const envelope = await signAction(CHARGE, {
        certificateFingerprint: cert.fingerprint,
        signer: localSigner(privateKeyPem),
        clock: clock(),
      });
      expect(envelope.timestamp).toBe(api.clock.now());
      expect(envelope.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
      const ok = await kakunin.actions.verify(envelope);
      expect(ok).toMatchObject({ verified: true, agentId, fingerprint: cert.fingerprint });

      const tampered = { ...envelope, nonce: `${envelope.nonce}x`, payload: { ...envelope.payload, amount: 1 } };
      const refused = await kakunin.actions.verify(tampered);
      expect(refused).toMatchObject({ verified: false, error: { code: 'SIGNATURE_INVALID' } });
      const replayed = await kakunin.actions.verify(envelope);
      expect(replayed).toMatchObject({ verified: false, error: { code: 'REPLAY_DETECTED' } });
    });
  }

  it('signs exactly the JCS bytes of the four signed fields', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const envelope = await signAction(
      { region: 'eu-west-1', action: 'charge', amount: 9.9e3 },
      {
        certificateFingerprint: `sha256:${'a'.repeat(64)}`,
        signer: localSigner(pem),
        clock: { now: () => 1_764_190_000_000 },
      },
    );
    const text = Buffer.from(signedBytes(envelope)).toString('utf8');
    expect(text).toBe(
      `{"certificateFingerprint":"sha256:${'a'.repeat(64)}","nonce":"${envelope.nonce}","payload":{"action":"charge","amount":9900,"region":"eu-west-1"},"timestamp":1764190000000}`,
    );
    expect(verify('sha256', signedBytes(envelope), publicKey, Buffer.from(envelope.signature, 'base64'))).toBe(true);
  });

  it('refuses payloads the verifier would refuse, before signing', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const signer = localSigner(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    const certificateFingerprint = `sha256:${'b'.repeat(64)}`;
    const cases: [unknown, string][] = [
      [{ amount: 1 }, 'payload.action'],
      [{ action: 'x', amount: Number.NaN }, 'payload.amount'],
      [{ action: 'x', amount: '12' }, 'payload.amount'],
      [{ action: 'x', when: new Date() }, 'payload.when'],
      [{ action: 'x', amount: 1e20 }, 'payload.amount'], // off the service's counters grid (amount bounds)
    ];
    for (const [payload, field] of cases) {
      const error = await signAction(payload as never, { certificateFingerprint, signer }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KakuninError);
      expect(error).toMatchObject({ code: 'INVALID_REQUEST', status: 400, field });
    }
    await expect(signAction({ action: 'x' }, { certificateFingerprint: 'sha256:ABC', signer })).rejects.toMatchObject({
      field: 'certificateFingerprint',
    });
  });

  it('localSigner refuses keys a certificate cannot carry, without echoing the key', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => localSigner(p384 as string)).toThrow(/P-256/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => localSigner(ed as string)).toThrow(KakuninError);
    let message = '';
    try {
      localSigner(`-----BEGIN ${PKCS8_LABEL}-----\nc2VjcmV0\n-----END ${PKCS8_LABEL}-----`);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('c2VjcmV0');
  });

  it('serviceSigner signs through POST /v1/agents/{id}/sign; the envelope verifies', async () => {
    const cert = await kakunin.agents.getCertificate(agentId, { scope: SCOPE, keySpec: 'ECC_NIST_P256' });
    expect(cert.keyRef).toBeDefined();
    const envelope = await signAction(CHARGE, {
      certificateFingerprint: cert.fingerprint,
      signer: serviceSigner(kakunin, agentId),
    });
    expect(await kakunin.actions.verify(envelope)).toMatchObject({ verified: true, agentId });
  });
});
