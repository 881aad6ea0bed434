/**
 * `CertificateStore.readVerificationState` for the single-table registry: certificates (pk = CERT#<tenant>#<fp>) and
 * agents (pk = AGENT#<tenant>#<id>) live in the same table, so the status of a certificate, of all its ancestors, of
 * its agent and of every ancestor agent (with their monitoring settings) is ONE strongly consistent BatchGetItem
 * (chunked at 100 keys, UnprocessedKeys retried; a key still unprocessed fails the whole read with a DependencyError,
 * because a partial answer could hide a revocation). The agent's current risk score lives on the monitoring table
 * (pk = AGENT#<tenant>#<id>, sk = STATE, written by the behavioural consumer); BatchGetItem reads several tables in
 * one request, so it is read in that same BatchGetItem, projected to the score alone.
 * The projection reads only the mutable fields the verifier needs, so the answer stays small whatever the scope or
 * metadata hold. Values of an unexpected type are passed through as they are: the verifier treats anything but
 * `status === 'active'` as revoked/suspended (fail closed). Concurrent reads of one process share BatchGetItems
 * (`VerificationStateReader`), never answers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DependencyError } from '../../../core/errors.js';
import type { AgentState, VerificationState, VerificationStateKeys } from '../../../ports.js';
import { batchGetTables, type Projection, type TableRead } from './batch-get.js';
import { key } from './dynamo-support.js';

const CERT_SK = 'CERT';
const AGENT_SK = 'AGENT';

const PROJECTION: Projection = {
  expression:
    '#pk, #sk, #tenantId, #fingerprint, #status, #id, #mode, #warningThreshold, #anomalyThreshold, #parentAgentId',
  names: {
    '#pk': 'pk',
    '#sk': 'sk',
    '#tenantId': 'tenantId',
    '#fingerprint': 'fingerprint',
    '#status': 'status',
    '#id': 'id',
    '#mode': 'mode',
    '#warningThreshold': 'warningThreshold',
    '#anomalyThreshold': 'anomalyThreshold',
    '#parentAgentId': 'parentAgentId',
  },
};

/** The risk attributes of an agent's monitoring item: a few bytes, never the encoded behavioural state. */
const RISK_SK = 'STATE';
const RISK_PROJECTION: Projection = {
  expression: '#pk, #sk, #tenantId, #agentId, #riskScore',
  names: { '#pk': 'pk', '#sk': 'sk', '#tenantId': 'tenantId', '#agentId': 'agentId', '#riskScore': 'riskScore' },
};

/** At most this many keys per coalesced read: one BatchGetItem (its cap is 100). */
const MAX_KEYS_PER_READ = 100;

interface Pending {
  tenantId: string;
  certPks: Set<string>;
  agentPks: Set<string>;
  /** Monitoring-table pks whose risk to read; undefined when the request asked for no risk. */
  riskPks: Set<string> | undefined;
  /** The agent id of each risk pk (the item's own attributes are not trusted to name it). */
  riskAgents: Map<string, string>;
  resolve(state: VerificationState): void;
  reject(error: unknown): void;
}

/**
 * Coalesces concurrent state reads of one process into shared BatchGetItems WITHOUT reusing any answer across time:
 * while one read is in flight, new requests queue; when it returns, everything queued is read together in the next
 * BatchGetItem. Every request is therefore answered by a strongly consistent read ISSUED AFTER the request arrived,
 * exactly as if it had sent its own, so a revocation or suspension that completed before a verification started is
 * always seen. (One request per process, as on Lambda, simply reads alone.) A failed read fails every request in it.
 */
export class VerificationStateReader {
  private queue: Pending[] = [];
  private draining = false;

  /** `riskTable`: the monitoring table; without it a request for risk fails (a missing score must not read as 0). */
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly registryTable: string,
    private readonly riskTable?: string,
  ) {}

  read(tenantId: string, keys: VerificationStateKeys): Promise<VerificationState> {
    const riskAgents = new Map((keys.riskAgentIds ?? []).map((id) => [key('AGENT', tenantId, id), id] as const));
    if (keys.riskAgentIds !== undefined && this.riskTable === undefined) {
      return Promise.reject(new DependencyError('verification state asked for risk but no monitoring table is set'));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        tenantId,
        certPks: new Set(keys.fingerprints.map((fp) => key('CERT', tenantId, fp))),
        agentPks: new Set(keys.agentIds.map((id) => key('AGENT', tenantId, id))),
        riskPks: keys.riskAgentIds === undefined ? undefined : new Set(riskAgents.keys()),
        riskAgents,
        resolve,
        reject,
      });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) await this.readBatch(this.takeBatch());
    } finally {
      this.draining = false;
    }
  }

  /** Requests from the head of the queue whose keys fit one BatchGetItem (always at least one request). */
  private takeBatch(): Pending[] {
    const keys = new Set<string>();
    let count = 0;
    for (const pending of this.queue) {
      const risk = [...(pending.riskPks ?? [])].map((pk) => `${RISK_SK}\u0000${pk}`);
      const added = [...pending.certPks, ...pending.agentPks, ...risk].filter((pk) => !keys.has(pk));
      if (count > 0 && keys.size + added.length > MAX_KEYS_PER_READ) break;
      for (const pk of added) keys.add(pk);
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async readBatch(batch: Pending[]): Promise<void> {
    const keys = new Map<string, Record<string, string>>();
    const riskKeys = new Map<string, Record<string, string>>();
    for (const pending of batch) {
      for (const pk of pending.certPks) keys.set(pk, { pk, sk: CERT_SK });
      for (const pk of pending.agentPks) keys.set(pk, { pk, sk: AGENT_SK });
      for (const pk of pending.riskPks ?? []) riskKeys.set(pk, { pk, sk: RISK_SK });
    }
    const reads: TableRead[] = [{ table: this.registryTable, keys: [...keys.values()], projection: PROJECTION }];
    if (riskKeys.size > 0 && this.riskTable !== undefined) {
      reads.push({ table: this.riskTable, keys: [...riskKeys.values()], projection: RISK_PROJECTION });
    }
    let registry: Map<string, Record<string, unknown>>;
    let risks: Map<string, Record<string, unknown>>;
    try {
      const found = await batchGetTables(this.doc, reads);
      registry = byItemKey(found.get(this.registryTable) ?? []);
      risks = byItemKey(this.riskTable === undefined ? [] : (found.get(this.riskTable) ?? []));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const pending of batch) pending.resolve(stateFor(pending, registry, risks));
  }
}

function byItemKey(items: Record<string, unknown>[]): Map<string, Record<string, unknown>> {
  return new Map(items.map((item) => [`${String(item.sk)}\u0000${String(item.pk)}`, item]));
}

/** Picks one request's items by the exact keys it asked for, so no other item can stand in for one it needs. */
function stateFor(
  pending: Pending,
  byKey: Map<string, Record<string, unknown>>,
  riskByKey: Map<string, Record<string, unknown>>,
): VerificationState {
  const state: VerificationState = { certificates: [], agents: [] };
  if (pending.riskPks !== undefined) {
    state.risks = [];
    for (const pk of pending.riskPks) {
      const item = riskByKey.get(`${RISK_SK}\u0000${pk}`);
      // An item without a score (a baseline locked before any action was scored) is "no score yet".
      if (item === undefined || item.riskScore === undefined) continue;
      const agentId = pending.riskAgents.get(pk) as string;
      // The score is passed through as read: the verifier refuses anything but a number in [0, 1] (fail closed).
      state.risks.push({ tenantId: pending.tenantId, agentId, score: item.riskScore as number });
    }
  }
  for (const pk of pending.certPks) {
    const item = byKey.get(`${CERT_SK}\u0000${pk}`);
    if (item === undefined) continue;
    state.certificates.push({
      tenantId: item.tenantId as string,
      fingerprint: item.fingerprint as string,
      status: item.status as 'active' | 'revoked',
    });
  }
  for (const pk of pending.agentPks) {
    const agent = byKey.get(`${AGENT_SK}\u0000${pk}`);
    if (agent === undefined) continue;
    const read: AgentState = {
      tenantId: agent.tenantId as string,
      id: agent.id as string,
      status: agent.status as 'active' | 'suspended',
      mode: agent.mode as 'observe' | 'enforce',
      warningThreshold: agent.warningThreshold as number,
      anomalyThreshold: agent.anomalyThreshold as number,
    };
    if (typeof agent.parentAgentId === 'string') read.parentAgentId = agent.parentAgentId;
    state.agents.push(read);
  }
  return state;
}
