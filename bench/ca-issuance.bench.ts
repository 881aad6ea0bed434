/**
 * Issuance rate of the CA with the in-memory vault against the raw node:crypto sign rate of the issuing CA's key
 * type (ECDSA P-256), measured in the same run. CSRs are generated once up front so the numbers measure issuance
 * (CSR check, template, vault signature, parse-back check, store), not agent key generation.
 */
import 'reflect-metadata';
import { generateKeyPairSync, randomBytes, sign, webcrypto } from 'node:crypto';
import { Pkcs10CertificateRequestGenerator } from '@peculiar/x509';
import { MemoryKeyVault } from '../src/adapters/memory/memory-key-vault.js';
import { MemoryCaStore, MemoryCertificateStore } from '../src/adapters/memory/memory-stores.js';
import { CertificateAuthority } from '../src/core/ca/certificate-authority.js';
import type { AgentRecord } from '../src/core/model.js';
import { type Benchmark, type BenchResult, opsPerSecond, result } from './harness.js';

const crypto = webcrypto as Crypto;
const POOL = 32;

async function csrPool(algorithm: RsaHashedKeyGenParams | EcKeyGenParams, signing: Algorithm): Promise<string[]> {
  const pems: string[] = [];
  for (let i = 0; i < POOL; i += 1) {
    const keys = (await crypto.subtle.generateKey(algorithm, false, ['sign', 'verify'])) as CryptoKeyPair;
    const csr = await Pkcs10CertificateRequestGenerator.create(
      { name: 'CN=bench', keys, signingAlgorithm: signing },
      crypto,
    );
    pems.push(csr.toString('pem'));
  }
  return pems;
}

const agent: AgentRecord = {
  tenantId: 'bench',
  id: 'a_bench00000000000001',
  name: 'bench-agent',
  metadata: {},
  mode: 'observe',
  warningThreshold: 0.75,
  anomalyThreshold: 0.85,
  status: 'active',
  createdAt: Date.now(),
};

export const benchmarks: Benchmark[] = [
  {
    name: 'ca-issuance',
    async run(): Promise<BenchResult[]> {
      const ca = new CertificateAuthority({
        vault: new MemoryKeyVault(),
        caStore: new MemoryCaStore(),
        certificates: new MemoryCertificateStore(),
        clock: { now: () => Date.now() },
        random: { bytes: (n) => new Uint8Array(randomBytes(n)) },
        config: { crlUrl: (tenantId) => `http://127.0.0.1:8787/v1/crl?tenant=${tenantId}` },
      });
      await ca.ensureTenant('bench');
      const p256 = await csrPool({ name: 'ECDSA', namedCurve: 'P-256' }, {
        name: 'ECDSA',
        hash: 'SHA-256',
      } as EcdsaParams);
      const rsa = await csrPool(
        { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
        { name: 'RSASSA-PKCS1-v1_5' },
      );
      const scope = { maxTransactionSize: 100, allowedActions: ['charge'] };
      const issue = (pems: string[]) => (i: number) =>
        ca.issue({ tenantId: 'bench', agent, scope, csrPem: pems[i % POOL]! });

      // Baseline: what the issuing CA's key type costs to sign with, directly in node:crypto.
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const tbs = randomBytes(600);
      const baseline = await opsPerSecond(() => sign('sha256', tbs, { key: privateKey, dsaEncoding: 'der' }));
      const ecdsaRate = await opsPerSecond(issue(p256));
      const rsaRate = await opsPerSecond(issue(rsa));
      const name = 'node:crypto ECDSA P-256 sign (issuing CA key)';
      return [
        result('ca-issuance ECDSA P-256 CSR agent keys (memory vault)', ecdsaRate, name, baseline),
        result('ca-issuance RSA-2048 CSR agent keys (memory vault)', rsaRate, name, baseline),
      ];
    },
  },
];
