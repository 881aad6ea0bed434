/**
 * The guide's webhook receiver (Incident Response), with the Standard Webhooks signature checked by `verifyWebhook`
 * before anything is acted on: an unsigned or altered delivery is refused with 400. The orchestration calls (paging,
 * pausing, replacing the agent) are stand-ins that record what they would do.
 *
 * It registers itself with `POST /v1/webhooks` and revokes a certificate to cause a real `agent.certificate_revoked`
 * delivery. Against a service without webhook delivery (the route answers 404), it says so and checks its receiver
 * with a delivery it signs itself with the `standardwebhooks` package, reported as `delivery: "simulated"`.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/webhook-receiver.ts
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { KakuninError, type KakuninEvent, verifyWebhook } from '@kakunin/sdk';
import express from 'express';
import { Webhook } from 'standardwebhooks';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();
const actions: string[] = [];
const agentOrchestrator = {
  pause: async (id: string) => actions.push(`pause ${id}`),
  terminate: async (id: string) => actions.push(`terminate ${id}`),
  spawn: async (opts: { template: string }) => actions.push(`spawn from ${opts.template}`),
};
const pagerduty = { createIncident: async (i: { title: string }) => actions.push(`page: ${i.title}`) };
const compliance = { flagForReview: async (r: { agent_id: string }) => actions.push(`review ${r.agent_id}`) };

let secret = `whsec_${randomBytes(32).toString('base64')}`; // replaced by the service's own when registration works
const received: KakuninEvent[] = [];
let refusedDeliveries = 0;

const app = express();
// The signature covers the exact bytes: read the raw body, not parsed JSON.
app.post('/webhook/kakunin', express.raw({ type: '*/*' }), async (req, res) => {
  let event: KakuninEvent;
  try {
    event = verifyWebhook(secret, req.headers as Record<string, string>, req.body as Buffer);
  } catch (error) {
    if (!(error instanceof KakuninError)) throw error;
    refusedDeliveries += 1;
    res.status(400).json({ error: { code: error.code, message: 'delivery not verified' } });
    return;
  }
  received.push(event);
  if (event.type === 'agent.pre_revocation_warning') {
    const { agent_id, risk_score } = event.data as { agent_id: string; risk_score: number };
    await pagerduty.createIncident({ title: `Agent ${agent_id} anomaly score ${risk_score}` });
    await agentOrchestrator.pause(agent_id);
  }
  if (event.type === 'agent.certificate_revoked') {
    const { agent_id } = event.data as { agent_id: string };
    await agentOrchestrator.terminate(agent_id); // 1. Hard stop — refuse all new tasks
    await compliance.flagForReview({ agent_id }); // 2. Quarantine transactions from the anomaly window
    await agentOrchestrator.spawn({ template: agent_id }); // 3. Replacement agent (new certificate, fresh identity)
  }
  res.json({ acknowledged: true });
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/kakunin`;

const agent = await kakunin.agents.create({ name: agentName('webhook-demo') });
let delivery: 'real' | 'simulated' = 'real';
try {
  const hook = await kakunin.webhooks.create({ url, eventTypes: ['agent.certificate_revoked'] });
  secret = hook.secret;
} catch (error) {
  if (!(error instanceof KakuninError) || error.status !== 404) throw error;
  delivery = 'simulated';
  console.error('This service has no webhook delivery yet (POST /v1/webhooks answered 404): simulating a delivery.');
}
const cert = await kakunin.agents.getCertificate(agent.id, { scope: { allowedActions: ['charge'] } });
const revoked = await kakunin.certificates.revoke(cert.fingerprint, 'keyCompromise');

// What a delivery of this revocation looks like (contract §5), and the Standard Webhooks headers for it.
const body = JSON.stringify({
  id: `evt_${randomBytes(8).toString('hex')}`,
  type: 'agent.certificate_revoked',
  createdAt: new Date().toISOString(),
  data: {
    agent_id: agent.id,
    certificate_fingerprint: cert.fingerprint,
    revocation_reason: 'keyCompromise',
    revoked_at: revoked.revokedAt,
  },
});
const messageId = `msg_${randomBytes(8).toString('hex')}`;
const sentAt = new Date();
const headers = {
  'webhook-id': messageId,
  'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
  'content-type': 'application/json',
};
if (delivery === 'simulated') {
  const signature = new Webhook(secret).sign(messageId, sentAt, body);
  await fetch(url, { method: 'POST', headers: { ...headers, 'webhook-signature': signature }, body });
} else {
  const deadline = Date.now() + 15_000;
  while (received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}
// Someone who knows the URL but not the secret: refused before anything is acted on.
const forged = `v1,${randomBytes(32).toString('base64')}`;
await fetch(url, { method: 'POST', headers: { ...headers, 'webhook-signature': forged }, body });
server.close();

printResult({
  delivery,
  received: received.map((event) => ({ type: event.type, agentId: (event.data as { agent_id?: string }).agent_id })),
  refusedDeliveries,
  actions,
  expectedAgentId: agent.id,
});
