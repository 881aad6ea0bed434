/**
 * The verifier against a reference model of docs/api.md §3 ("Delegation binds the whole tree") and §4, over random
 * delegation trees, suspensions, revocations, monitoring settings, velocity limits and action sequences. The model is
 * written here, independently of the pipeline: a refusal anywhere up the chain wins, velocity is counted at every
 * level that declares a limit only when every level has room, and the risk step uses the strictest settings.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CertificateRecord, Scope } from '../../../../src/core/model.js';
import { NOW, TENANT, World } from './world.js';

interface NodeSpec {
  /** Index of the parent node (always a lower index), or -1 for a root. */
  parent: number;
  suspended: boolean;
  revoked: boolean;
  mode: 'observe' | 'enforce';
  anomalyThreshold: number;
  score: number;
  hourLimit: number | undefined;
  dayLimit: number | undefined;
}

const nodeArb = (index: number): fc.Arbitrary<NodeSpec> =>
  fc.record({
    parent: index === 0 ? fc.constant(-1) : fc.integer({ min: -1, max: index - 1 }),
    suspended: fc.integer({ min: 0, max: 6 }).map((n) => n === 0),
    revoked: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
    mode: fc.constantFrom('observe', 'enforce'),
    anomalyThreshold: fc.constantFrom(0.3, 0.6, 0.9, 1),
    score: fc.constantFrom(0, 0.4, 0.7, 0.95),
    hourLimit: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
    dayLimit: fc.option(fc.constantFrom(0, 10, 25, 60), { nil: undefined }),
  });

const treeArb = fc
  .integer({ min: 1, max: 6 })
  .chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => nodeArb(i))));
const actionsArb = (size: number) =>
  fc.array(fc.record({ node: fc.integer({ min: 0, max: size - 1 }), amount: fc.constantFrom(0, 5, 10, 20) }), {
    minLength: 1,
    maxLength: 12,
  });

/** The chain above and including `index`, root first. */
function chainOf(nodes: readonly NodeSpec[], index: number): number[] {
  const chain = [index];
  for (let at = nodes[index]!.parent; at >= 0; at = nodes[at]!.parent) chain.unshift(at);
  return chain;
}

/** The reference model: the expected answer of each action, in order. */
function expectedOutcomes(nodes: readonly NodeSpec[], actions: readonly { node: number; amount: number }[]) {
  const hour = new Map<number, number>();
  const day = new Map<number, number>();
  return actions.map(({ node, amount }) => {
    const chain = chainOf(nodes, node);
    const specs = chain.map((i) => nodes[i]!);
    if (specs.some((spec) => spec.revoked)) return 'CERTIFICATE_REVOKED';
    if (specs.some((spec) => spec.suspended)) return 'AGENT_SUSPENDED';
    const limited = chain.filter((i) => nodes[i]!.hourLimit !== undefined || nodes[i]!.dayLimit !== undefined);
    const hourFull = (i: number) => nodes[i]!.hourLimit !== undefined && (hour.get(i) ?? 0) + 1 > nodes[i]!.hourLimit!;
    const dayFull = (i: number) => nodes[i]!.dayLimit !== undefined && (day.get(i) ?? 0) + amount > nodes[i]!.dayLimit!;
    if (limited.some((i) => hourFull(i) || dayFull(i))) return 'VELOCITY_LIMIT_EXCEEDED';
    const enforce = specs.some((spec) => spec.mode === 'enforce');
    const threshold = Math.min(...specs.map((spec) => spec.anomalyThreshold));
    if (enforce && nodes[node]!.score >= threshold) return 'RISK_THRESHOLD_EXCEEDED';
    for (const i of limited) {
      if (nodes[i]!.hourLimit !== undefined) hour.set(i, (hour.get(i) ?? 0) + 1);
      if (nodes[i]!.dayLimit !== undefined) day.set(i, (day.get(i) ?? 0) + amount);
    }
    return true;
  });
}

async function build(world: World, nodes: readonly NodeSpec[]): Promise<CertificateRecord[]> {
  const agentIds: string[] = [];
  const certificates: CertificateRecord[] = [];
  for (const spec of nodes) {
    const parentAgentId = spec.parent >= 0 ? agentIds[spec.parent] : undefined;
    const agent = await world.agent({
      mode: spec.mode,
      anomalyThreshold: spec.anomalyThreshold,
      status: spec.suspended ? 'suspended' : 'active',
      ...(parentAgentId === undefined ? {} : { parentAgentId }),
    });
    agentIds.push(agent.id);
    world.risk.set(TENANT, agent.id, { score: spec.score, band: 'low', updatedAt: NOW });
    const scope: Scope = {};
    if (spec.hourLimit !== undefined) scope.maxTransactionsPerHour = spec.hourLimit;
    if (spec.dayLimit !== undefined) scope.maxDailyVolume = spec.dayLimit;
    const parent = spec.parent >= 0 ? certificates[spec.parent] : undefined;
    const certificate = await world.certificate({
      agentId: agent.id,
      scope,
      ...(parent === undefined ? {} : { parent }),
      status: spec.revoked ? 'revoked' : 'active',
    });
    certificates.push(certificate);
  }
  return certificates;
}

describe('delegation: the verifier equals the reference model', () => {
  it('over random trees, suspensions, revocations, settings, limits and action sequences', async () => {
    await fc.assert(
      fc.asyncProperty(
        treeArb.chain((nodes) => fc.tuple(fc.constant(nodes), actionsArb(nodes.length))),
        async ([nodes, actions]) => {
          const world = new World();
          const certificates = await build(world, nodes);
          const actual: (string | true)[] = [];
          for (const { node, amount } of actions) {
            const payload = { action: 'pay', amount, currency: 'EUR' };
            const result = await world.verifier.verify(TENANT, world.envelope(certificates[node]!, { payload }));
            actual.push(result.verified ? true : result.error.code);
          }
          expect(actual).toEqual(expectedOutcomes(nodes, actions));
          // Counters hold exactly what was verified under each certificate and below it.
          const outcomes = expectedOutcomes(nodes, actions);
          nodes.forEach((spec, i) => {
            if (spec.dayLimit === undefined) return;
            const spent = actions
              .filter((a, k) => outcomes[k] === true && chainOf(nodes, a.node).includes(i))
              .reduce((sum, a) => sum + a.amount, 0);
            expect(world.velocity.dayVolume(TENANT, certificates[i]!.fingerprint, NOW)).toBe(spent);
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
