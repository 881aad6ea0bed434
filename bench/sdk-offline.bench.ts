/**
 * @kakunin/sdk offline verification against raw node:crypto verify of the same key type, in the same run:
 * `sdk-offline-verify-*` runs `OfflineVerifier#verify` on fresh envelopes (distinct nonces) of a certificate issued by
 * the real CA (in-memory harness), with the CRL in hand; the baseline is `crypto.verify` of the same signed bytes with
 * the same key. The ratio is what the verifier adds on top of the signature: envelope parsing, JCS, the certificate
 * and CRL lookups, the nonce LRU and the scope check (issue 12 target: ≥ 0.85).
 * `sdk-core-bundle` is the size of `@kakunin/sdk` (core entry, without the framework integrations' subpaths) bundled
 * by esbuild for a Node consumer, minified, with every dependency inlined (the optional AWS SDK peers external).
 */
import { constants, generateKeyPairSync, verify } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import { build } from 'esbuild';
import {
  Kakunin,
  localSigner,
  OfflineVerifier,
  type SignedEnvelope,
  signAction,
  signedBytes,
} from '../packages/sdk/src/index.js';
import { BASE_URL, createTestApiWithAgent, harnessFetch } from '../test/sdk/support/in-process-fetch.js';
import { type Benchmark, type BenchResult, result, type SizeResult } from './harness.js';

/** Each envelope verifies once (nonces are single-use); enough for 11 rounds of 200 ms at 35,000/s. */
const ENVELOPES = 80_000;
const ROUNDS = 11;
const ROUND_MS = 200;
const SCOPE = { maxTransactionSize: 10_000, allowedActions: ['charge'], allowedCounterparties: ['stripe'] };
const CHARGE = { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe' };

async function csrFor(kind: 'ec' | 'rsa') {
  const pair =
    kind === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const algorithm =
    kind === 'ec' ? { name: 'ECDSA', namedCurve: 'P-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const keys = {
    privateKey: await crypto.subtle.importKey(
      'pkcs8',
      pair.privateKey.export({ type: 'pkcs8', format: 'der' }),
      algorithm,
      true,
      ['sign'],
    ),
    publicKey: await crypto.subtle.importKey(
      'spki',
      pair.publicKey.export({ type: 'spki', format: 'der' }),
      algorithm,
      true,
      ['verify'],
    ),
  };
  const csr = await Pkcs10CertificateRequestGenerator.create({
    name: 'CN=bench',
    keys,
    signingAlgorithm: kind === 'ec' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm,
  });
  return {
    csr: csr.toString('pem'),
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    publicKey: pair.publicKey,
  };
}

async function offlineVersusRaw(kind: 'ec' | 'rsa'): Promise<BenchResult> {
  const { api, admin, agentId } = await createTestApiWithAgent(`bench-${kind}`);
  const kakunin = new Kakunin({ baseUrl: BASE_URL, apiKey: admin, fetch: harnessFetch(api) });
  const keys = await csrFor(kind);
  const cert = await kakunin.agents.getCertificate(agentId, { scope: SCOPE, csr: keys.csr });
  const chain = cert.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const clock = { now: () => api.clock.now() };
  const crl = await kakunin.ca.crl('t1');
  const verifier = new OfflineVerifier({
    rootPem: chain[chain.length - 1] ?? '',
    chainPem: cert.chainPem,
    crl: async () => crl,
    clock,
    certificates: [cert.pem],
  });
  const signer = localSigner(keys.privateKeyPem);
  const envelopes: SignedEnvelope[] = [];
  for (let i = 0; i < ENVELOPES; i += 1) {
    envelopes.push(await signAction(CHARGE, { certificateFingerprint: cert.fingerprint, signer, clock }));
  }
  const first = await verifier.verify(envelopes[0]);
  if (!first.verified) throw new Error(`bench setup: ${JSON.stringify(first)}`);
  const bytes = envelopes.map((envelope) => signedBytes(envelope));
  const signatures = envelopes.map((envelope) => Buffer.from(envelope.signature, 'base64'));
  const key =
    kind === 'ec'
      ? { key: keys.publicKey, dsaEncoding: 'der' as const }
      : { key: keys.publicKey, padding: constants.RSA_PKCS1_PADDING };
  // Interleaved rounds (raw, offline, raw, offline…): each round's ratio compares two adjacent 200 ms windows, so a
  // change of machine load (the machine is shared) hits both sides alike; the reported ratio is the median round's.
  const ratios: number[] = [];
  let rawOps = 0;
  let rawMs = 0;
  let next = 1;
  for (let round = 0; round < ROUNDS; round += 1) {
    let started = performance.now();
    let count = 0;
    for (let i = 0; performance.now() - started < ROUND_MS; i += 1) {
      const n = i % ENVELOPES;
      if (!verify('sha256', bytes[n]!, key, signatures[n]!)) throw new Error('raw verify failed');
      count += 1;
    }
    const rawRound = count / (performance.now() - started);
    rawOps += count;
    rawMs += performance.now() - started;
    started = performance.now();
    count = 0;
    // A faster machine could use up the pool: the round then ends early rather than verify a missing envelope.
    while (performance.now() - started < ROUND_MS && next < envelopes.length) {
      const answer = await verifier.verify(envelopes[next++]);
      if (!answer.verified) throw new Error(`offline verify refused: ${answer.error.code} (pool too small?)`);
      count += 1;
    }
    const offlineRound = count / (performance.now() - started);
    ratios.push(offlineRound / rawRound);
  }
  ratios.sort((a, b) => a - b);
  const median = ratios[Math.floor(ratios.length / 2)]!;
  const raw = rawOps / (rawMs / 1_000);
  // ops/s of the offline verifier as the median round saw it relative to the raw rate of the whole run.
  const offline = raw * median;
  const label = kind === 'ec' ? 'ecdsa-p256' : 'rsa-2048';
  return result(`sdk-offline-verify-${label}`, offline, `node:crypto verify ${label}`, raw);
}

async function coreBundleSize(): Promise<SizeResult> {
  const entry = fileURLToPath(new URL('../packages/sdk/src/index.ts', import.meta.url));
  const output = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    write: false,
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  });
  const code = output.outputFiles.map((file) => file.contents);
  const bytes = code.reduce((sum, file) => sum + file.byteLength, 0);
  const gzip = code.reduce((sum, file) => sum + gzipSync(file).byteLength, 0);
  return {
    bench: 'sdk-core-bundle',
    bytes,
    gzip_bytes: gzip,
    note: 'esbuild --bundle --minify --platform=node, @aws-sdk/* external',
  };
}

export const benchmarks: Benchmark[] = [
  { name: 'sdk-offline-verify', run: async () => [await offlineVersusRaw('ec'), await offlineVersusRaw('rsa')] },
  { name: 'sdk-core-bundle', run: async () => [await coreBundleSize()] },
];
