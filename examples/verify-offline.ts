/**
 * Verify signed actions without a round trip per action: the OfflineVerifier checks the chain up to a pinned root, the
 * certificate's revocation against the CRL, the signature, timestamp, nonce and the scope in the certificate itself.
 * (Agent suspension, velocity and risk need the service: `checks` says so.) After a revocation, a verifier that has
 * read the new CRL refuses the certificate.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/verify-offline.ts
 */
import { localSigner, OfflineVerifier, signAction } from '@kakunin/sdk';
import { keyAndCsr } from './support/csr.js';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();
const name = agentName('offline-demo');
const agent = await kakunin.agents.create({ name });
const { csr, privateKeyPem } = await keyAndCsr(name);
const cert = await kakunin.agents.getCertificate(agent.id, {
  scope: { maxTransactionSize: 10000, allowedActions: ['charge'] },
  csr,
});

// Pin the root: in production ship root.pem with the verifier (here it is taken once from the chain for the demo).
const chainPem = await kakunin.ca.chain();
const certificates = chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
const rootPem = certificates.at(-1) ?? '';
const newVerifier = () =>
  new OfflineVerifier({ rootPem, chainPem, crl: () => kakunin.ca.crl(), certificates: [cert.pem] });

const signer = localSigner(privateKeyPem);
const sign = (amount: number) =>
  signAction({ action: 'charge', amount, currency: 'EUR' }, { certificateFingerprint: cert.fingerprint, signer });

const verifier = newVerifier();
const envelope = await sign(9900);
const first = await verifier.verify(envelope);
const replay = await verifier.verify(envelope);
const tooLarge = await verifier.verify(await sign(20000));

await kakunin.certificates.revoke(cert.fingerprint, 'keyCompromise');
const afterRevocation = await newVerifier().verify(await sign(10));

const codeOf = (answer: Awaited<ReturnType<OfflineVerifier['verify']>>) =>
  answer.verified ? 'verified' : answer.error.code;
printResult({
  first: codeOf(first),
  checks: first.checks,
  replay: codeOf(replay),
  tooLarge: codeOf(tooLarge),
  afterRevocation: codeOf(afterRevocation),
});
