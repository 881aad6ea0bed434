/**
 * The offline verifier and `POST /v1/actions/verify` (the real handlers, in process) agree on every code the offline
 * verifier can decide, over a table of generated envelopes: valid, tampered (payload, nonce, signature, fingerprint),
 * expired, revoked, parent revoked, replayed, out of window, out of scope, unknown certificate, malformed. Then the
 * cases only the offline verifier has: a stale or missing CRL fails closed with REVOCATION_STATUS_UNKNOWN.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  type ActionPayload,
  Kakunin,
  localSigner,
  OfflineVerifier,
  type SignedEnvelope,
  signAction,
  signedBytes,
} from '../../packages/sdk/src/index.js';
import { BASE_URL, createTestApiWithAgent, harnessFetch, type TestApi } from './support/in-process-fetch.js';

const SCOPE = {
  maxTransactionSize: 10_000,
  currency: 'EUR',
  allowedActions: ['charge', 'refund'],
  allowedCounterparties: ['stripe', 'revolut'],
};
const CHARGE: ActionPayload = { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe' };
const HOUR = 3_600_000;

let api: TestApi;
let kakunin: Kakunin;
let agentId: string;
let rootPem: string;
let chainPem: string;

beforeEach(async () => {
  const setup = await createTestApiWithAgent('offline-agreement');
  api = setup.api;
  agentId = setup.agentId;
  kakunin = new Kakunin({ baseUrl: BASE_URL, apiKey: setup.admin, fetch: harnessFetch(api), retries: 0 });
  chainPem = '';
});

/** The pinned root is the last certificate of the chain the service hands out (tenant created with its first certificate). */
async function pinChain(): Promise<void> {
  if (chainPem !== '') return;
  chainPem = await kakunin.ca.chain('t1');
  const blocks = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  rootPem = `${blocks[blocks.length - 1]}\n`;
}

const clock = () => ({ now: () => api.clock.now() });

async function csr(): Promise<{ csr: string; privateKeyPem: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keys = {
    privateKey: await crypto.subtle.importKey(
      'pkcs8',
      privateKey.export({ type: 'pkcs8', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['sign'],
    ),
    publicKey: await crypto.subtle.importKey(
      'spki',
      publicKey.export({ type: 'spki', format: 'der' }),
      { name: 'ECDSA', namedCurve: 'P-256' },
      true,
      ['verify'],
    ),
  };
  const request = await Pkcs10CertificateRequestGenerator.create({
    name: 'CN=offline-agreement',
    keys,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
  });
  return { csr: request.toString('pem'), privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string };
}

async function issue(extra: Record<string, unknown> = {}, forAgent = agentId) {
  const keys = await csr();
  const cert = await kakunin.agents.getCertificate(forAgent, { scope: SCOPE, csr: keys.csr, ...extra });
  await pinChain();
  const sign = (payload: ActionPayload = CHARGE) =>
    signAction(payload, {
      certificateFingerprint: cert.fingerprint,
      signer: localSigner(keys.privateKeyPem),
      clock: clock(),
    });
  /** Signs without signAction's payload checks, for envelopes the service must refuse as malformed. */
  const signRaw = async (payload: Record<string, unknown>): Promise<SignedEnvelope> => {
    const unsigned = {
      payload: payload as ActionPayload,
      certificateFingerprint: cert.fingerprint,
      timestamp: api.clock.now(),
      nonce: randomBytes(16).toString('base64url'),
    };
    const signature = await localSigner(keys.privateKeyPem).sign(signedBytes(unsigned));
    return { ...unsigned, signature: Buffer.from(signature).toString('base64') };
  };
  return { cert, sign, signRaw };
}

function newVerifier(certificates: string[], extra: Partial<ConstructorParameters<typeof OfflineVerifier>[0]> = {}) {
  return new OfflineVerifier({
    rootPem,
    chainPem,
    crl: () => kakunin.ca.crl('t1'),
    clock: clock(),
    certificates,
    ...extra,
  });
}

type Outcome = { verified: true } | { verified: false; code: string; field?: string };

function outcome(answer: { verified: boolean; error?: { code: string; field?: string } }): Outcome {
  if (answer.verified) return { verified: true };
  const error = answer.error!;
  return error.field === undefined
    ? { verified: false, code: error.code }
    : { verified: false, code: error.code, field: error.field };
}

/** Online through the client, offline through the verifier; returns both outcomes. */
async function both(verifier: OfflineVerifier, envelope: unknown): Promise<[Outcome, Outcome]> {
  let online: Outcome;
  try {
    online = outcome(await kakunin.actions.verify(envelope as SignedEnvelope));
  } catch (error) {
    const e = error as { code: string; status: number; field?: string };
    expect(e.status).toBe(400); // the only thrown answer in this table: malformed envelopes
    online =
      e.field === undefined ? { verified: false, code: e.code } : { verified: false, code: e.code, field: e.field };
  }
  const offline = outcome(await verifier.verify(structuredClone(envelope)));
  return [online, offline];
}

describe('offline verifier ≡ POST /v1/actions/verify', () => {
  it('agrees over the table of generated envelopes', async () => {
    const main = await issue();
    const shortLived = await issue({ validityHours: 1 });
    const toRevoke = await issue();
    const parent = await issue();
    const child = await kakunin.agents.create({ name: 'sub-agent' });
    const sub = await issue({ parentFingerprint: parent.cert.fingerprint, scope: SCOPE }, child.id);
    const verifier = newVerifier([main, shortLived, toRevoke, parent, sub].map((x) => x.cert.pem));

    const table: [string, () => Promise<unknown>, Outcome][] = [
      ['valid', () => main.sign(), { verified: true }],
      ['valid sub-agent', () => sub.sign(), { verified: true }],
      [
        'tampered amount',
        async () => ({ ...(await main.sign()), payload: { ...CHARGE, amount: 1 } }),
        { verified: false, code: 'SIGNATURE_INVALID', field: 'signature' },
      ],
      [
        'tampered nonce',
        async () => {
          const e = await main.sign();
          return { ...e, nonce: `${e.nonce.slice(0, -1)}${e.nonce.endsWith('A') ? 'B' : 'A'}` };
        },
        { verified: false, code: 'SIGNATURE_INVALID', field: 'signature' },
      ],
      [
        'tampered timestamp',
        async () => {
          const e = await main.sign();
          return { ...e, timestamp: e.timestamp + 1 };
        },
        { verified: false, code: 'SIGNATURE_INVALID', field: 'signature' },
      ],
      [
        'signature of another certificate',
        async () => {
          const e = await main.sign();
          const other = await parent.sign();
          return { ...e, signature: other.signature };
        },
        { verified: false, code: 'SIGNATURE_INVALID', field: 'signature' },
      ],
      [
        'unknown certificate',
        () =>
          signAction(CHARGE, {
            certificateFingerprint: `sha256:${randomBytes(32).toString('hex')}`,
            signer: localSigner(
              generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
                type: 'pkcs8',
                format: 'pem',
              }) as string,
            ),
            clock: clock(),
          }),
        { verified: false, code: 'CERTIFICATE_UNKNOWN', field: 'certificateFingerprint' },
      ],
      [
        'action out of scope',
        () => main.sign({ ...CHARGE, action: 'transfer' }),
        { verified: false, code: 'SCOPE_VIOLATION', field: 'payload.action' },
      ],
      [
        'amount out of scope',
        () => main.sign({ ...CHARGE, amount: 10_001 }),
        { verified: false, code: 'SCOPE_VIOLATION', field: 'payload.amount' },
      ],
      [
        'counterparty missing',
        () => main.sign({ action: 'charge', amount: 5, currency: 'EUR' }),
        { verified: false, code: 'SCOPE_VIOLATION', field: 'payload.counterparty' },
      ],
      [
        'wrong currency',
        () => main.sign({ ...CHARGE, currency: 'USD' }),
        { verified: false, code: 'SCOPE_VIOLATION', field: 'payload.currency' },
      ],
      [
        'malformed nonce',
        async () => ({ ...(await main.sign()), nonce: 'short' }),
        { verified: false, code: 'INVALID_REQUEST', field: 'nonce' },
      ],
      [
        'non-canonical base64 signature',
        async () => {
          const e = await main.sign();
          return { ...e, signature: `${e.signature.slice(0, 8)}\n${e.signature.slice(8)}` };
        },
        { verified: false, code: 'INVALID_REQUEST', field: 'signature' },
      ],
      [
        'amount at 1e20 (off the counters grid)',
        () => main.signRaw({ ...CHARGE, amount: 1e20 }),
        { verified: false, code: 'INVALID_REQUEST', field: 'payload.amount' },
      ],
      [
        'amount with 19 decimals',
        () => main.signRaw({ ...CHARGE, amount: 0.0000000000000000001 }),
        { verified: false, code: 'INVALID_REQUEST', field: 'payload.amount' },
      ],
      [
        'unknown envelope field',
        async () => ({ ...(await main.sign()), extra: 1 }),
        { verified: false, code: 'INVALID_REQUEST', field: 'extra' },
      ],
    ];
    for (const [name, build, expected] of table) {
      const [online, offline] = await both(verifier, await build());
      expect({ name, online }).toEqual({ name, online: expected });
      expect({ name, offline }).toEqual({ name, offline: expected });
    }

    // Replayed: the second presentation of the same envelope, to each verifier.
    const once = await main.sign();
    expect(await both(verifier, once)).toEqual([{ verified: true }, { verified: true }]);
    const replay = { verified: false, code: 'REPLAY_DETECTED', field: 'nonce' };
    expect(await both(verifier, once)).toEqual([replay, replay]);

    // Out of window: signed 301 s before the verifiers' clock, and 301 s after.
    for (const shift of [-301_000, 301_000]) {
      const at = api.clock.now();
      api.clock.set(at + shift);
      const skewed = await main.sign();
      api.clock.set(at);
      const window = { verified: false, code: 'TIMESTAMP_OUT_OF_WINDOW', field: 'timestamp' };
      expect(await both(verifier, skewed)).toEqual([window, window]);
    }

    // Revoked, and a sub-agent whose parent is revoked: the CRL lists both.
    await kakunin.certificates.revoke(toRevoke.cert.fingerprint, 'keyCompromise');
    await kakunin.certificates.revoke(parent.cert.fingerprint, 'cessationOfOperation');
    await verifier.refreshCrl();
    for (const revoked of [toRevoke, sub]) {
      const [online, offline] = await both(verifier, await revoked.sign());
      expect(online).toEqual({ verified: false, code: 'CERTIFICATE_REVOKED', field: 'certificateFingerprint' });
      expect(offline).toEqual(online);
    }

    // Expired: two hours later the one-hour certificate is past notAfter (the CRL is still current).
    api.clock.set(api.clock.now() + 2 * HOUR);
    const [online, offline] = await both(verifier, await shortLived.sign());
    expect(online).toEqual({ verified: false, code: 'CERTIFICATE_EXPIRED', field: 'certificateFingerprint' });
    expect(offline).toEqual(online);
    // …while the long-lived certificate still verifies on both sides.
    expect(await both(verifier, await main.sign())).toEqual([{ verified: true }, { verified: true }]);
  });

  it('checks names what the offline verifier could not decide', async () => {
    const main = await issue();
    const answer = await newVerifier([main.cert.pem]).verify(await main.sign());
    expect(answer).toMatchObject({ verified: true, agentId, fingerprint: main.cert.fingerprint, scope: SCOPE });
    expect(answer.checks).toEqual({ agentStatus: false, velocity: false, risk: false });
  });
});

describe('offline only: the CRL fails closed', () => {
  it('a CRL older than maxCrlAgeMs → REVOCATION_STATUS_UNKNOWN while the service still verifies', async () => {
    const main = await issue();
    const fetched = await kakunin.ca.crl('t1');
    const verifier = newVerifier([main.cert.pem], { crl: async () => fetched, maxCrlAgeMs: HOUR });
    expect(await both(verifier, await main.sign())).toEqual([{ verified: true }, { verified: true }]);
    api.clock.set(api.clock.now() + HOUR + 1);
    const [online, offline] = await both(verifier, await main.sign());
    expect(online).toEqual({ verified: true });
    expect(offline).toEqual({ verified: false, code: 'REVOCATION_STATUS_UNKNOWN', field: 'certificateFingerprint' });
  });

  it('a missing, unverifiable or foreign CRL → REVOCATION_STATUS_UNKNOWN; a later good fetch recovers', async () => {
    const main = await issue();
    let serve: () => Promise<Uint8Array> = async () => {
      throw new Error('unreachable');
    };
    const verifier = newVerifier([main.cert.pem], { crl: () => serve() });
    const unknown = { verified: false, code: 'REVOCATION_STATUS_UNKNOWN', field: 'certificateFingerprint' };
    expect(outcome(await verifier.verify(await main.sign()))).toEqual(unknown);
    const good = await kakunin.ca.crl('t1');
    const corrupted = new Uint8Array(good);
    corrupted[corrupted.length - 5] = (corrupted[corrupted.length - 5] ?? 0) ^ 0xff;
    serve = async () => corrupted;
    expect(outcome(await verifier.verify(await main.sign()))).toEqual(unknown);
    // A CRL of another tenant's issuing CA.
    const other = await kakunin.ca.crl('t2').catch(() => undefined);
    if (other !== undefined) {
      serve = async () => other;
      expect(outcome(await verifier.verify(await main.sign()))).toEqual(unknown);
    }
    serve = async () => good;
    expect(outcome(await verifier.verify(await main.sign()))).toEqual({ verified: true });
  });

  it('refreshes in the background before the CRL goes stale, and a revocation shows up without a manual refresh', async () => {
    const main = await issue();
    let fetches = 0;
    const verifier = newVerifier([main.cert.pem], {
      crl: () => {
        fetches += 1;
        return kakunin.ca.crl('t1');
      },
      crlRefreshIntervalMs: 60_000,
    });
    expect(outcome(await verifier.verify(await main.sign()))).toEqual({ verified: true });
    expect(fetches).toBe(1);
    await kakunin.certificates.revoke(main.cert.fingerprint, 'keyCompromise');
    api.clock.set(api.clock.now() + 61_000);
    // This call still uses the CRL in hand (current) and starts a refresh in the background…
    expect(outcome(await verifier.verify(await main.sign()))).toEqual({ verified: true });
    await verifier.refreshCrl(); // …which this awaits (deduplicated with the one in flight)
    expect(fetches).toBe(2);
    expect(outcome(await verifier.verify(await main.sign()))).toEqual({
      verified: false,
      code: 'CERTIFICATE_REVOKED',
      field: 'certificateFingerprint',
    });
  });

  it('refuses a chain whose issuing CA the pinned root did not sign, and certificates from elsewhere', async () => {
    const main = await issue();
    const otherApi = await createTestApiWithAgent('other');
    const otherClient = new Kakunin({ baseUrl: BASE_URL, apiKey: otherApi.admin, fetch: harnessFetch(otherApi.api) });
    const foreign = await otherClient.agents.getCertificate(otherApi.agentId, {
      scope: SCOPE,
      keySpec: 'ECC_NIST_P256',
    });
    const otherChain = await otherClient.ca.chain('t1');
    expect(() => new OfflineVerifier({ rootPem, chainPem: otherChain, crl: async () => new Uint8Array() })).toThrow(
      TypeError,
    );
    const verifier = newVerifier([]);
    expect(() => verifier.addCertificate(foreign.pem)).toThrow(/pinned issuing CA/);
    expect(verifier.addCertificate(main.cert.pem)).toBe(main.cert.fingerprint);
    expect(outcome(await verifier.verify(await main.sign(), { certificatePem: foreign.pem }))).toEqual({
      verified: true,
    });
  });
});
