/**
 * Agent management (contract §2): creation with defaults, reads, listing and the admin's updates. Every change is
 * appended to the tenant's audit ledger. Authorization (which key may touch which agent) is the HTTP edge's job.
 */

import { DependencyError, notFound } from '../core/errors.js';
import type { AgentMode, AgentRecord, AgentStatus } from '../core/model.js';
import type { AgentStore, Clock, Ledger, Page, Random } from '../ports.js';

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * `prefix` + `length` characters of [0-9a-z] from the injected Random. Rejection sampling keeps every character
 * uniform (256 is not a multiple of 36).
 */
export function randomId(random: { bytes(length: number): Uint8Array }, prefix: string, length = 20): string {
  let id = prefix;
  // A healthy source needs one round almost always; a source stuck on rejected bytes must not hang the request.
  for (let round = 0; round < 16 && id.length < prefix.length + length; round += 1) {
    for (const byte of random.bytes(length)) {
      if (byte < 252 && id.length < prefix.length + length) id += ID_ALPHABET[byte % 36];
    }
  }
  if (id.length < prefix.length + length) throw new DependencyError('random source returned unusable bytes');
  return id;
}

export const DEFAULT_AGENT_SETTINGS = { mode: 'observe', warningThreshold: 0.75, anomalyThreshold: 0.85 } as const;

export interface CreateAgentInput {
  name: string;
  metadata?: Record<string, unknown>;
  mode?: AgentMode;
  warningThreshold?: number;
  anomalyThreshold?: number;
}

export type AgentPatch = Partial<{
  mode: AgentMode;
  warningThreshold: number;
  anomalyThreshold: number;
  metadata: Record<string, unknown>;
  status: AgentStatus;
}>;

export interface AgentServiceDeps {
  agents: AgentStore;
  ledger: Ledger;
  clock: Clock;
  random: Random;
}

export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  /** `parentAgentId` is set when an agent key spawns a sub-agent. `by` is the acting key's id (audit). */
  async create(tenantId: string, input: CreateAgentInput, by: string, parentAgentId?: string): Promise<AgentRecord> {
    const agent: AgentRecord = {
      tenantId,
      id: randomId(this.deps.random, 'a_'),
      name: input.name,
      metadata: input.metadata ?? {},
      mode: input.mode ?? DEFAULT_AGENT_SETTINGS.mode,
      warningThreshold: input.warningThreshold ?? DEFAULT_AGENT_SETTINGS.warningThreshold,
      anomalyThreshold: input.anomalyThreshold ?? DEFAULT_AGENT_SETTINGS.anomalyThreshold,
      status: 'active',
      createdAt: this.deps.clock.now(),
      ...(parentAgentId === undefined ? {} : { parentAgentId }),
    };
    // Audit first: a ledger failure answers 503 with no agent created; a store failure after it leaves an entry for
    // an id that never existed, which no later request can use.
    await this.deps.ledger.append({
      tenantId,
      actorId: agent.id,
      type: 'agent.created',
      payload: { name: agent.name, by, ...(parentAgentId === undefined ? {} : { parentAgentId }) },
    });
    await this.deps.agents.create(agent);
    return agent;
  }

  /** The agent, or NOT_FOUND (also for another tenant's id: ids are looked up only inside the caller's tenant). */
  async get(tenantId: string, id: string): Promise<AgentRecord> {
    const agent = await this.deps.agents.get(tenantId, id);
    if (!agent) throw notFound('agent');
    return agent;
  }

  list(tenantId: string, limit: number, cursor?: string): Promise<Page<AgentRecord>> {
    return this.deps.agents.list(tenantId, limit, cursor);
  }

  async update(tenantId: string, id: string, patch: AgentPatch, by: string): Promise<AgentRecord> {
    await this.get(tenantId, id);
    // Audit first, as in create: a 503 from the ledger leaves the agent unchanged.
    await this.deps.ledger.append({
      tenantId,
      actorId: id,
      type: patchAuditType(patch),
      payload: { fields: Object.keys(patch).sort(), ...patch, by },
    });
    return this.deps.agents.update(tenantId, id, patch);
  }
}

/** A status change is a suspension or reactivation (whatever else changes with it); anything else is settings. */
function patchAuditType(patch: AgentPatch): 'agent.suspended' | 'agent.reactivated' | 'agent.settings_changed' {
  if (patch.status === 'suspended') return 'agent.suspended';
  if (patch.status === 'active') return 'agent.reactivated';
  return 'agent.settings_changed';
}
