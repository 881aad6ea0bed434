/**
 * `CertificateStore.readVerificationState` for the single-table registry: certificates (pk = CERT#<tenant>#<fp>) and
 * agents (pk = AGENT#<tenant>#<id>) live in the same table, so the status of a certificate, of all its ancestors, of
 * its agent and of every ancestor agent (with their monitoring settings) is ONE strongly consistent BatchGetItem (chunked at 100 keys, UnprocessedKeys retried; a key still
 * unprocessed fails the whole read with a DependencyError, because a partial answer could hide a revocation).
 * The projection reads only the mutable fields the verifier needs, so the answer stays small whatever the scope or
 * metadata hold. Values of an unexpected type are passed through as they are: the verifier treats anything but
 * `status === 'active'` as revoked/suspended (fail closed). Concurrent reads of one process share BatchGetItems
 * (`VerificationStateReader`), never answers.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AgentState, VerificationState, VerificationStateKeys } from '../../../ports.js';
import { batchGetAll, type Projection } from './batch-get.js';
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

/** At most this many keys per coalesced read: one BatchGetItem (its cap is 100). */
const MAX_KEYS_PER_READ = 100;

interface Pending {
  tenantId: string;
  certPks: Set<string>;
  agentPks: Set<string>;
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

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly registryTable: string,
  ) {}

  read(tenantId: string, keys: VerificationStateKeys): Promise<VerificationState> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        tenantId,
        certPks: new Set(keys.fingerprints.map((fp) => key('CERT', tenantId, fp))),
        agentPks: new Set(keys.agentIds.map((id) => key('AGENT', tenantId, id))),
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
      const added = [...pending.certPks, ...pending.agentPks].filter((pk) => !keys.has(pk));
      if (count > 0 && keys.size + added.length > MAX_KEYS_PER_READ) break;
      for (const pk of added) keys.add(pk);
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async readBatch(batch: Pending[]): Promise<void> {
    const keys = new Map<string, Record<string, string>>();
    for (const pending of batch) {
      for (const pk of pending.certPks) keys.set(pk, { pk, sk: CERT_SK });
      for (const pk of pending.agentPks) keys.set(pk, { pk, sk: AGENT_SK });
    }
    let items: Record<string, unknown>[];
    try {
      items = await batchGetAll(this.doc, this.registryTable, [...keys.values()], PROJECTION);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    const byKey = new Map(items.map((item) => [`${String(item.sk)}\u0000${String(item.pk)}`, item]));
    for (const pending of batch) pending.resolve(stateFor(pending, byKey));
  }
}

/** Picks one request's items by the exact keys it asked for, so no other item can stand in for one it needs. */
function stateFor(pending: Pending, byKey: Map<string, Record<string, unknown>>): VerificationState {
  const state: VerificationState = { certificates: [], agents: [] };
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
