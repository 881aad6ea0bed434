/**
 * Agent management (docs/api.md §2): creation with defaults, reads, listing and the admin's updates. Every change is
 * appended to the tenant's audit ledger. Who may do what is decided by the one policy (`authorize`), asked here with
 * the agent chain as it stands; monitoring settings are held to the parent's (docs/api.md §3, "Delegation binds the
 * whole tree").
 */

import { loadAgentChain, MAX_AGENT_CHAIN } from '../core/authorization/agent-chain.js';
import { type AuthorizationPrincipal, assertAuthorized } from '../core/authorization/authorize.js';
import {
  effectiveMonitoringSettings,
  type MonitoringSettings,
  settingsLooserThanParent,
} from '../core/authorization/effective-settings.js';
import { DependencyError, KakuninError, notFound } from '../core/errors.js';
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

/** The caller: the tenant it acts in, its role, the agent an agent key is bound to, and its key id (audit). */
export interface Caller extends AuthorizationPrincipal {
  keyId: string;
}

export class AgentService {
  constructor(private readonly deps: AgentServiceDeps) {}

  /**
   * An admin creates a top-level agent; an agent key creates a sub-agent of its own agent (`parentAgentId`), refused
   * while that agent or any agent above it is suspended. A sub-agent's settings may not be looser than its parent's
   * effective (strictest along the chain) settings; a setting left out takes the stricter of the default and the
   * parent's, so leaving it out is never refused.
   */
  async create(caller: Caller, input: CreateAgentInput): Promise<AgentRecord> {
    const { tenantId } = caller;
    let parentAgentId: string | undefined;
    let settings: MonitoringSettings = DEFAULT_AGENT_SETTINGS;
    if (caller.role === 'agent') {
      const chain = caller.agentId === undefined ? [] : await this.chain(tenantId, caller.agentId);
      assertAuthorized(caller, 'agent:create', { tenantId, agentChain: chain });
      if (chain.length >= MAX_AGENT_CHAIN) {
        throw new KakuninError('SCOPE_EXCEEDS_PARENT', `agent chains are at most ${MAX_AGENT_CHAIN} agents deep`);
      }
      const parent = effectiveMonitoringSettings(chain);
      settings = effectiveMonitoringSettings([DEFAULT_AGENT_SETTINGS, parent]);
      parentAgentId = caller.agentId;
      const requested = { ...settings, ...definedSettings(input) };
      throwIfLooser(requested, parent);
    } else {
      assertAuthorized(caller, 'agent:create', { tenantId });
    }
    const agent: AgentRecord = {
      tenantId,
      id: randomId(this.deps.random, 'a_'),
      name: input.name,
      metadata: input.metadata ?? {},
      mode: input.mode ?? settings.mode,
      warningThreshold: input.warningThreshold ?? settings.warningThreshold,
      anomalyThreshold: input.anomalyThreshold ?? settings.anomalyThreshold,
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
      payload: { name: agent.name, by: caller.keyId, ...(parentAgentId === undefined ? {} : { parentAgentId }) },
    });
    await this.deps.agents.create(agent);
    return agent;
  }

  /** The agent, or NOT_FOUND (also for another tenant's id: ids are looked up only inside the caller's tenant). */
  async get(caller: AuthorizationPrincipal, id: string): Promise<AgentRecord> {
    assertAuthorized(caller, 'agent:read', { tenantId: caller.tenantId });
    const agent = await this.deps.agents.get(caller.tenantId, id);
    if (!agent) throw notFound('agent');
    return agent;
  }

  list(caller: AuthorizationPrincipal, limit: number, cursor?: string): Promise<Page<AgentRecord>> {
    assertAuthorized(caller, 'agent:list', { tenantId: caller.tenantId });
    return this.deps.agents.list(caller.tenantId, limit, cursor);
  }

  /** A sub-agent's monitoring settings may not become looser than its parent's effective settings. */
  async update(caller: Caller, id: string, patch: AgentPatch): Promise<AgentRecord> {
    const { tenantId } = caller;
    assertAuthorized(caller, 'agent:update', { tenantId });
    const agent = await this.deps.agents.get(tenantId, id);
    if (!agent) throw notFound('agent');
    const touchesSettings =
      patch.mode !== undefined || patch.warningThreshold !== undefined || patch.anomalyThreshold !== undefined;
    if (touchesSettings && agent.parentAgentId !== undefined) {
      const parentChain = await this.chain(tenantId, agent.parentAgentId);
      throwIfLooser({ ...settingsOf(agent), ...definedSettings(patch) }, effectiveMonitoringSettings(parentChain));
    }
    // Audit first, as in create: a 503 from the ledger leaves the agent unchanged.
    await this.deps.ledger.append({
      tenantId,
      actorId: id,
      type: patchAuditType(patch),
      payload: { fields: Object.keys(patch).sort(), ...patch, by: caller.keyId },
    });
    return this.deps.agents.update(tenantId, id, patch);
  }

  /** The agent and every agent above it, root first; an unknown agent is an empty chain (the policy denies it). */
  private async chain(tenantId: string, agentId: string): Promise<AgentRecord[]> {
    return (await loadAgentChain(this.deps.agents, tenantId, agentId)) ?? [];
  }
}

const settingsOf = (agent: MonitoringSettings): MonitoringSettings => ({
  mode: agent.mode,
  warningThreshold: agent.warningThreshold,
  anomalyThreshold: agent.anomalyThreshold,
});

/** The monitoring settings a request actually gives (absent fields left out, so they do not override). */
function definedSettings(input: Partial<MonitoringSettings>): Partial<MonitoringSettings> {
  const given: Partial<MonitoringSettings> = {};
  if (input.mode !== undefined) given.mode = input.mode;
  if (input.warningThreshold !== undefined) given.warningThreshold = input.warningThreshold;
  if (input.anomalyThreshold !== undefined) given.anomalyThreshold = input.anomalyThreshold;
  return given;
}

function throwIfLooser(settings: MonitoringSettings, parent: MonitoringSettings): void {
  const looser = settingsLooserThanParent(settings, parent);
  if (looser !== undefined) throw new KakuninError('SCOPE_EXCEEDS_PARENT', looser.message, { field: looser.field });
}

/** A status change is a suspension or reactivation (whatever else changes with it); anything else is settings. */
function patchAuditType(patch: AgentPatch): 'agent.suspended' | 'agent.reactivated' | 'agent.settings_changed' {
  if (patch.status === 'suspended') return 'agent.suspended';
  if (patch.status === 'active') return 'agent.reactivated';
  return 'agent.settings_changed';
}
