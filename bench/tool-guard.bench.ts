/**
 * ToolGuard's added latency per tool call with an offline verifier (signature with a local P-256 key, chain, CRL
 * lookup, nonce, scope): the same trivial tool called bare and guarded, in the same run. The added cost in µs is
 * 1e6/guarded − 1e6/bare. A third line gives the raw node:crypto P-256 sign + verify of one envelope's bytes, the
 * floor any guard that signs and verifies must pay. Certificates come from the real CA over in-memory ports.
 */
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { localSigner, OfflineVerifier, signAction, signedBytes, ToolGuard } from '../packages/sdk/src/index.js';
import { csrFor } from '../test/sdk/support/csr.js';
import { createTestApiWithAgent } from '../test/unit/http/harness.js';
import { type Benchmark, type BenchResult, opsPerSecond, result } from './harness.js';

const PAYLOAD = { amount: 42, currency: 'EUR', counterparty: 'stripe' };

async function setUp() {
  const { api, admin, agentId } = await createTestApiWithAgent('bench-guard');
  const { csr, privateKeyPem } = await csrFor('ec', 'bench-guard');
  const issued = await api.call({
    method: 'POST',
    path: `/v1/agents/${agentId}/certificates`,
    key: admin,
    body: { scope: { maxTransactionSize: 100, allowedActions: ['charge'], allowedCounterparties: ['stripe'] }, csr },
  });
  const chain = await api.call({ method: 'GET', path: '/v1/ca/chain', query: { tenant: 't1' } });
  const crl = await api.call({ method: 'GET', path: '/v1/crl', query: { tenant: 't1' } });
  const crlBytes = new Uint8Array(Buffer.from(crl.text, crl.isBase64Encoded ? 'base64' : 'binary'));
  const certificates = chain.text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  const clock = { now: () => api.clock.now() };
  const verifier = new OfflineVerifier({
    rootPem: certificates.at(-1) ?? '',
    chainPem: chain.text,
    crl: async () => crlBytes,
    certificates: [issued.json.pem as string],
    clock,
  });
  await verifier.refreshCrl();
  return { agentId, privateKeyPem, fingerprint: issued.json.fingerprint as string, verifier, clock };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'ToolGuard added latency (offline verifier)',
    async run(): Promise<(BenchResult & Record<string, number | string>)[]> {
      const { agentId, privateKeyPem, fingerprint, verifier, clock } = await setUp();
      const tool = async (params: { amount: number }) => params.amount;
      const guard = new ToolGuard({
        agentId,
        certificateFingerprint: fingerprint,
        signer: localSigner(privateKeyPem),
        verifier,
        clock,
        logger: false,
      });
      const guarded = guard.wrap('charge', tool);
      // A refused call would throw: make sure the measured path is the passing one.
      await guarded(PAYLOAD);

      const bareOps = await opsPerSecond(() => tool(PAYLOAD), { minMs: 1_000 });
      const guardedOps = await opsPerSecond(() => guarded(PAYLOAD), { minMs: 3_000 });

      const key = createPrivateKey(privateKeyPem);
      const publicKey = createPublicKey(key);
      const sample = await signAction(
        { action: 'charge', ...PAYLOAD },
        { certificateFingerprint: fingerprint, signer: localSigner(privateKeyPem), clock },
      );
      const bytes = signedBytes(sample);
      const rawOps = await opsPerSecond(
        () =>
          verify(
            'sha256',
            bytes,
            { key: publicKey, dsaEncoding: 'der' },
            sign('sha256', bytes, { key, dsaEncoding: 'der' }),
          ),
        { minMs: 2_000 },
      );
      const addedUs = 1e6 / guardedOps - 1e6 / bareOps;
      return [
        {
          ...result('ToolGuard.wrap call, offline verifier', guardedOps, 'bare tool call', bareOps),
          added_us: Number(addedUs.toPrecision(3)),
        },
        {
          ...result('ToolGuard.wrap call, offline verifier', guardedOps, 'raw node:crypto P-256 sign + verify', rawOps),
          raw_us: Number((1e6 / rawOps).toPrecision(3)),
        },
      ];
    },
  },
];
