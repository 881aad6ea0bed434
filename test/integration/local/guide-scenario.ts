/**
 * The product guide's behavioural scenario, end to end in local mode over HTTP (docs/behavior.md, "The guide's
 * scenario"), shared by its integration test (what happens) and its benchmark (how fast).
 *
 * Honest about time: a calm week cannot pass the verifier's ±300 s timestamp window, so the week of history is
 * published to the action stream with backdated `verifiedAt`, in exactly the record format the verifier writes, and
 * flows through the same poller, consumer and engine as live actions. Everything after it goes over HTTP: stats,
 * baseline lock, mode switch, webhook, and the burst, signed and verified one by one. The service's clock runs
 * `warp` times faster than real time (an injected clock, the same for signing, verification and the consumer), so
 * the guide's pace (100 charges of €9,900 in 10 minutes) keeps its simulated spacing but takes seconds. Latencies are
 * measured in real (wall-clock) milliseconds.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { VerifiedAction } from '../../../src/core/model.js';
import { type DevServer, startDevServer } from '../../../src/local/dev-server.js';
import { LOCAL_TENANT_ID } from '../../../src/local/local-context.js';
import { type Call, client, str } from './api-client.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const COUNTERPARTIES = ['stripe', 'adyen', 'paypal', 'wise'];
const ORIGIN = { ip: '198.51.100.7', userAgent: 'payments-gateway/1.4', region: 'eu-west-1' };
const SCOPE = {
  maxTransactionSize: 10_000,
  currency: 'EUR',
  allowedActions: ['charge', 'refund'],
  allowedCounterparties: COUNTERPARTIES,
};

/** Seeded PRNG (mulberry32): the same history every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface ScenarioOptions {
  dataDir: string;
  /** Simulated milliseconds per real millisecond. @default 30 */
  warp?: number;
  /** Burst size. @default 100 (the guide's) */
  burst?: number;
  log?: (line: string) => void;
}

interface AgentHandle {
  id: string;
  fingerprint: string;
}

export interface ScenarioResult {
  /** Webhook deliveries received, verified with the webhook secret: `type agent_id`. */
  webhookEvents: { type: string; agentId: string; data: Record<string, unknown> }[];
  /** Median real ms of one `GET /health` on the same server at the end (the benchmark's baseline). */
  healthRoundTripMs: number;
  target: {
    /** Verified charges of the burst before the first refusal. */
    verifiedBeforeRefusal: number;
    firstRefusalCode: string | undefined;
    revocationReason: string | undefined;
    /** Real ms from the answer to the action that crossed the threshold to the revocation being visible over HTTP. */
    crossingToRevokedMs: number | undefined;
    /** Real ms from the same answer to the warning webhook's arrival. */
    crossingToWarningMs: number | undefined;
    riskAfter: Record<string, unknown>;
    statsBefore: Record<string, unknown>;
    baseline: Record<string, unknown>;
  };
  calm: { warnings: number; verifiedAll: boolean; riskAfter: Record<string, unknown> };
  observe: { revoked: boolean; verifiedAll: boolean; warnings: number; riskAfter: Record<string, unknown> };
}

export async function runGuideScenario(options: ScenarioOptions): Promise<ScenarioResult> {
  const warp = options.warp ?? 30;
  const burst = options.burst ?? 100;
  const realStart = performance.now();
  const simStart = Date.now();
  const clock = { now: () => Math.floor(simStart + (performance.now() - realStart) * warp) };
  const adminKey = `kk_${Buffer.alloc(32, 9).toString('base64url')}`;
  const server = await startDevServer({ port: 0, dataDir: options.dataDir, adminKey, clock });
  const receiver = await startReceiver();
  try {
    return await scenario(server, client(server.url, adminKey), receiver, clock, warp, burst);
  } finally {
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));
    await server.stop();
  }
}

interface Receiver {
  server: Server;
  url: string;
  received: { at: number; body: string; headers: Record<string, string> }[];
}

function startReceiver(): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ at: performance.now(), body, headers: req.headers as Record<string, string> });
      res.statusCode = 204;
      res.end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/kakunin`, received }),
    ),
  );
}

async function scenario(
  server: DevServer,
  admin: Call,
  receiver: Receiver,
  clock: { now(): number },
  warp: number,
  burst: number,
): Promise<ScenarioResult> {
  const hook = await admin('POST', '/v1/webhooks', {
    url: receiver.url,
    eventTypes: ['agent.pre_revocation_warning', 'agent.certificate_revoked'],
  });
  const secret = str(hook.body, 'secret');
  const verifierKey = await admin('POST', '/v1/api-keys', { role: 'verifier' });
  const verifier = client(new URL(server.url).origin, str(verifierKey.body, 'key'));

  // Week 1 (guide): observation mode, anomalyThreshold 1.0.
  const create = async (name: string): Promise<AgentHandle> => {
    const agent = await admin('POST', '/v1/agents', { name, mode: 'observe', anomalyThreshold: 1.0 });
    const id = str(agent.body, 'id');
    const cert = await admin('POST', `/v1/agents/${id}/certificates`, { scope: SCOPE, validityDays: 30 });
    return { id, fingerprint: str(cert.body, 'fingerprint') };
  };
  const target = await create('payment-processor-eu-v3');
  const calm = await create('payment-processor-eu-calm');
  const observed = await create('payment-processor-eu-observe');

  // The calm week, backdated through the stream (see the file comment).
  const now = clock.now();
  const lastAt = new Map<string, number>();
  for (const [index, agent] of [target, calm, observed].entries()) {
    const random = prng(1_000 + index);
    const actions: VerifiedAction[] = [];
    for (let hourStart = now - 7 * DAY; hourStart < now - HOUR; hourStart += HOUR) {
      const count = 2 + Math.floor(random() * 4);
      for (let i = 0; i < count; i += 1) {
        const at = hourStart + Math.floor(random() * HOUR);
        actions.push({
          tenantId: LOCAL_TENANT_ID,
          agentId: agent.id,
          certificateFingerprint: agent.fingerprint,
          actionId: `hist_${agent.id}_${actions.length}`,
          payload: {
            action: 'charge',
            amount: Math.round(40 + random() * 360),
            currency: 'EUR',
            counterparty: COUNTERPARTIES[Math.floor(random() * COUNTERPARTIES.length)]!,
          },
          timestamp: at,
          verifiedAt: at,
          origin: ORIGIN,
        });
      }
    }
    actions.sort((a, b) => a.verifiedAt - b.verifiedAt);
    for (let i = 0; i < actions.length; i += 25) {
      await Promise.all(actions.slice(i, i + 25).map((a) => server.context.stream.publish(a)));
    }
    lastAt.set(agent.id, actions.at(-1)!.verifiedAt);
  }
  for (const agent of [target, calm, observed]) {
    await until(async () => {
      const risk = await admin('GET', `/v1/agents/${agent.id}/risk`);
      return Date.parse(str(risk.body, 'updatedAt')) >= lastAt.get(agent.id)!;
    }, 120_000);
  }

  // Week 2 (guide): review the stats, lock the baseline, switch the target and its calm neighbour to enforce.
  // biome-ignore lint/suspicious/noExplicitAny: the guide reads the stats body dynamically, as the SDK returns it.
  const stats = (await admin('GET', `/v1/agents/${target.id}/stats?window=7d`)).body as Record<string, any>;
  const baselineBody = {
    transaction_size: { p50: stats.transaction_size.p50, p99: stats.transaction_size.p99 },
    transactions_per_hour: { p95: stats.frequency.per_hour.p95 },
    preferred_counterparties: (stats.counterparty_distribution as { counterparty: string }[])
      .slice(0, 5)
      .map((c) => c.counterparty),
    active_hours: stats.hour_of_day.activePeriods,
  };
  const baseline = (await admin('PUT', `/v1/agents/${target.id}/baseline`, baselineBody)).body as Record<
    string,
    unknown
  >;
  for (const agent of [target, calm]) {
    await admin('PATCH', `/v1/agents/${agent.id}`, { mode: 'enforce', anomalyThreshold: 0.85 });
  }
  await admin('PATCH', `/v1/agents/${observed.id}`, { anomalyThreshold: 0.85 });

  // The burst: €9,900 charges every 6 simulated seconds for the target and its observe-mode twin; the calm agent
  // goes on with a small charge every 5 simulated minutes.
  const answers = new Map<string, number>();
  let revokedAt: number | undefined;
  let watching = true;
  const watcher = (async () => {
    while (watching && revokedAt === undefined) {
      const state = await admin('GET', `/v1/certificates/${encodeURIComponent(target.fingerprint)}`);
      if ((state.body as { status?: string }).status === 'revoked') revokedAt = performance.now();
      else await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const sign = async (agent: AgentHandle, amount: number) => {
    const signed = await admin('POST', `/v1/agents/${agent.id}/sign`, {
      payload: { action: 'charge', amount, currency: 'EUR', counterparty: 'stripe' },
      certificateFingerprint: agent.fingerprint,
    });
    // The sign route refuses a revoked certificate; the agent's client may still hold envelopes signed just before.
    return signed.status === 200 ? signed.body : undefined;
  };
  const verify = async (envelope: unknown) => {
    const answer = await verifier('POST', '/v1/actions/verify', { envelope, origin: ORIGIN });
    const body = answer.body as { verified: boolean; auditId?: string; error?: { code: string } };
    if (body.auditId !== undefined) answers.set(body.auditId, performance.now());
    return body;
  };
  const act = async (agent: AgentHandle, amount: number) => verify(await sign(agent, amount));
  // The target's client signs one charge ahead, as an agent pipelining its calls does: after the revocation it still
  // holds a validly signed envelope, which the verifier must refuse.
  let nextTargetEnvelope = await sign(target, 9_900);
  const spacingRealMs = 6_000 / warp;
  let verifiedBeforeRefusal = 0;
  let firstRefusalCode: string | undefined;
  let observeVerifiedAll = true;
  let calmVerifiedAll = true;
  for (let i = 0; i < burst; i += 1) {
    const tick = performance.now();
    if (firstRefusalCode === undefined && nextTargetEnvelope !== undefined) {
      const answer = await verify(nextTargetEnvelope);
      if (answer.verified) verifiedBeforeRefusal += 1;
      else firstRefusalCode = answer.error?.code;
      nextTargetEnvelope = await sign(target, 9_900);
    }
    observeVerifiedAll = (await act(observed, 9_900)).verified && observeVerifiedAll;
    if (i % 50 === 0) calmVerifiedAll = (await act(calm, 120 + i)).verified && calmVerifiedAll;
    const wait = spacingRealMs - (performance.now() - tick);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }
  // Let the pipeline settle (2 s of real time is the local freshness budget).
  await until(async () => revokedAt !== undefined, 2_000).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 500));
  watching = false;
  await watcher;
  // The envelope still in hand after the revocation must be refused.
  if (firstRefusalCode === undefined && nextTargetEnvelope !== undefined) {
    const after = await verify(nextTargetEnvelope);
    if (!after.verified) firstRefusalCode = after.error?.code;
  }

  const webhookEvents = receiver.received.map((delivery) => {
    // Checked by recomputing the signature: the package's verify() would compare the timestamp with the real clock,
    // and the service's clock runs `warp` times faster here.
    const {
      'webhook-id': id = '',
      'webhook-timestamp': timestamp = '',
      'webhook-signature': signature,
    } = delivery.headers;
    const expected = new Webhook(secret).sign(id, new Date(Number(timestamp) * 1000), delivery.body);
    if (signature !== expected) throw new Error('scenario: a webhook delivery carries a bad signature');
    const event = JSON.parse(delivery.body) as { type: string; data: Record<string, unknown> };
    return { type: event.type, agentId: String(event.data.agent_id), data: event.data, at: delivery.at };
  });
  const revocation = (
    await server.context.ledger.list(LOCAL_TENANT_ID, { actorId: target.id, limit: 1_000 })
  ).items.find((e) => e.type === 'certificate.revoked');
  const crossingId = (revocation?.payload as { actionId?: string } | undefined)?.actionId;
  const crossingAt = crossingId === undefined ? undefined : answers.get(crossingId);
  const warning = webhookEvents.find((e) => e.type === 'agent.pre_revocation_warning' && e.agentId === target.id);
  const stateAfter = await admin('GET', `/v1/certificates/${encodeURIComponent(observed.fingerprint)}`);
  const health: number[] = [];
  for (let i = 0; i < 21; i += 1) {
    const started = performance.now();
    await admin('GET', '/health');
    health.push(performance.now() - started);
  }
  health.sort((a, b) => a - b);
  const risk = async (agent: AgentHandle) =>
    (await admin('GET', `/v1/agents/${agent.id}/risk`)).body as Record<string, unknown>;
  return {
    webhookEvents: webhookEvents.map(({ type, agentId, data }) => ({ type, agentId, data })),
    healthRoundTripMs: health[10] ?? 0,
    target: {
      verifiedBeforeRefusal,
      firstRefusalCode,
      revocationReason: (revocation?.payload as { reason?: string } | undefined)?.reason,
      crossingToRevokedMs: crossingAt === undefined || revokedAt === undefined ? undefined : revokedAt - crossingAt,
      crossingToWarningMs: crossingAt === undefined || warning === undefined ? undefined : warning.at - crossingAt,
      riskAfter: await risk(target),
      statsBefore: stats,
      baseline,
    },
    calm: {
      warnings: webhookEvents.filter((e) => e.agentId === calm.id).length,
      verifiedAll: calmVerifiedAll,
      riskAfter: await risk(calm),
    },
    observe: {
      revoked: (stateAfter.body as { status?: string }).status === 'revoked',
      verifiedAll: observeVerifiedAll,
      warnings: webhookEvents.filter((e) => e.agentId === observed.id && e.type === 'agent.pre_revocation_warning')
        .length,
      riskAfter: await risk(observed),
    },
  };
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error('scenario: condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
