/**
 * The seed guide's story, told against a running API: one payment agent gets an identity and a scoped certificate,
 * signs a charge that verifies, then meets each safeguard in turn (replay, scope, revocation) and leaves an audit
 * trail. Every step states the answer it expects; the story fails as soon as an answer differs.
 */
import { type ApiAnswer, type DemoClient, pick } from './demo-client.js';

export const SEED_AGENT = {
  name: 'payment-processor-eu-v3',
  metadata: { version: '3.1.0', deployment: 'k8s-eu-west-1' },
};

export const SEED_SCOPE = {
  maxTransactionSize: 10_000,
  currency: 'EUR',
  allowedCounterparties: ['stripe', 'revolut'],
  allowedActions: ['charge', 'refund'],
  allowedRegions: ['eu-west-1', 'eu-central-1'],
};

const CHARGE = { action: 'charge', amount: 9_900, currency: 'EUR', counterparty: 'stripe', region: 'eu-west-1' };

export class StoryFailure extends Error {
  override readonly name = 'StoryFailure';
}

export interface StoryOutput {
  step(title: string): void;
  detail(line: string): void;
}

function expectStatus(answer: ApiAnswer, status: number, what: string): void {
  if (answer.status !== status) {
    throw new StoryFailure(`${what}: expected HTTP ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

function expectRefusal(answer: ApiAnswer, code: string, what: string): void {
  const got = pick(answer.body, 'error.code');
  if (answer.status !== 403 || pick(answer.body, 'verified') !== false || got !== code) {
    throw new StoryFailure(`${what}: expected 403 ${code}, got ${answer.status} ${JSON.stringify(answer.body)}`);
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export async function runStory(client: DemoClient, out: StoryOutput): Promise<void> {
  out.step('Register the agent');
  const agent = await client.call('POST', '/v1/agents', SEED_AGENT);
  expectStatus(agent, 201, 'register agent');
  const agentId = text(pick(agent.body, 'id'));
  out.detail(`${SEED_AGENT.name} → ${agentId} (mode ${text(pick(agent.body, 'mode'))})`);

  out.step('Issue its certificate (ECC_NIST_P256 key held by the service, seed scope)');
  const cert = await client.call('POST', `/v1/agents/${agentId}/certificates`, {
    validityDays: 365,
    keySpec: 'ECC_NIST_P256',
    scope: SEED_SCOPE,
  });
  expectStatus(cert, 201, 'issue certificate');
  const fingerprint = text(pick(cert.body, 'fingerprint'));
  out.detail(`fingerprint ${fingerprint}`);
  out.detail(`serial ${text(pick(cert.body, 'serialNumber'))}, valid until ${text(pick(cert.body, 'notAfter'))}`);
  out.detail(`scope ${JSON.stringify(pick(cert.body, 'scope'))}`);

  const sign = async (payload: object, what: string) => {
    const signed = await client.call('POST', `/v1/agents/${agentId}/sign`, {
      payload,
      certificateFingerprint: fingerprint,
    });
    expectStatus(signed, 200, what);
    return signed.body;
  };
  const verify = (envelope: unknown) => client.call('POST', '/v1/actions/verify', envelope);

  out.step('Sign a charge of 9900 EUR to stripe and verify it');
  const charge = await sign(CHARGE, 'sign charge');
  out.detail(`nonce ${text(pick(charge, 'nonce'))}, signature ${text(pick(charge, 'signature')).slice(0, 24)}…`);
  const verified = await verify(charge);
  expectStatus(verified, 200, 'verify charge');
  if (pick(verified.body, 'verified') !== true) throw new StoryFailure('verify charge: not verified');
  out.detail(
    `verified: true, risk ${text(pick(verified.body, 'riskBand'))}, audit ${text(pick(verified.body, 'auditId'))}`,
  );

  out.step('Replay the same envelope');
  expectRefusal(await verify(charge), 'REPLAY_DETECTED', 'replay');
  out.detail('refused: REPLAY_DETECTED');

  out.step('Try a charge of 50000 EUR (over maxTransactionSize 10000)');
  const tooBig = await verify(await sign({ ...CHARGE, amount: 50_000 }, 'sign large charge'));
  expectRefusal(tooBig, 'SCOPE_VIOLATION', 'out-of-scope charge');
  out.detail(`refused: SCOPE_VIOLATION (field ${text(pick(tooBig.body, 'error.field'))})`);

  out.step('Revoke the certificate, then verify an action it signed just before');
  const pending = await sign({ ...CHARGE, counterparty: 'revolut' }, 'sign pending charge');
  const revoked = await client.call('POST', `/v1/certificates/${encodeURIComponent(fingerprint)}/revoke`, {
    reason: 'keyCompromise',
  });
  expectStatus(revoked, 200, 'revoke');
  out.detail(`revoked at ${text(pick(revoked.body, 'revokedAt'))}`);
  expectRefusal(await verify(pending), 'CERTIFICATE_REVOKED', 'verify after revocation');
  out.detail('refused: CERTIFICATE_REVOKED');

  await printAudit(client, agentId, fingerprint, out);
}

async function printAudit(client: DemoClient, agentId: string, fingerprint: string, out: StoryOutput): Promise<void> {
  out.step('Audit trail');
  const audit = await client.call('GET', '/v1/audit?limit=100');
  if (audit.status === 404 && pick(audit.body, 'error.code') === 'NOT_FOUND') {
    out.detail('GET /v1/audit (docs/api.md §7) is not served yet: it arrives with the audit ledger issue.');
    return;
  }
  expectStatus(audit, 200, 'audit');
  const items = pick(audit.body, 'items');
  if (!Array.isArray(items)) throw new StoryFailure('audit: no items');
  const ours = items.filter(
    (item) => pick(item, 'actorId') === agentId || pick(item, 'certificateFingerprint') === fingerprint,
  );
  if (ours.length === 0) throw new StoryFailure('audit: no entry for the demo agent');
  for (const item of ours) {
    const code = pick(item, 'errorCode');
    out.detail(
      `#${text(pick(item, 'seq'))} ${text(pick(item, 'createdAt'))} ${text(pick(item, 'type'))}` +
        `${code === undefined ? '' : ` ${text(code)}`} hash ${text(pick(item, 'hash')).slice(0, 16)}…`,
    );
  }
  const check = await client.call('GET', '/v1/audit/verify');
  if (check.status === 200)
    out.detail(`chain check: valid=${text(pick(check.body, 'valid'))}, entries ${text(pick(check.body, 'entries'))}`);
}
