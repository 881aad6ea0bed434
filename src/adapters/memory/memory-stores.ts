/**
 * In-memory implementations of the store ports: unit-test fakes and the in-process benchmark's baseline.
 * Node runs one callback at a time, so each method body below is atomic, which is the property the DynamoDB
 * adapters get from conditional writes. Records are stored deep-frozen and handed out as they are: a caller that
 * tried to mutate a stored record would throw, exactly the isolation a real store gives, without a copy per read.
 */
import { KakuninError, notFound } from '../../core/errors.js';
import type {
  AgentRecord,
  ApiKeyRecord,
  CaRecord,
  CertificateRecord,
  RevocationReason,
  TenantRecord,
} from '../../core/model.js';
import type {
  AgentState,
  AgentStore,
  ApiKeyStore,
  CaStore,
  CertificateStore,
  NonceStore,
  Page,
  RevocationResult,
  RiskReader,
  VelocityRequest,
  VelocityResult,
  VelocityStore,
  VerificationState,
  VerificationStateKeys,
} from '../../ports.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Map key of a (tenant, id, …) tuple. JSON of the array, not a joined string: with `${tenant}/${id}` the tenant
 * "x/y" with agent "z" and the tenant "x" with agent "y/z" would share one entry (the DynamoDB stores escape their
 * separator for the same reason).
 */
const tupleKey = (...parts: (string | number)[]): string => JSON.stringify(parts);

/** Copies on the way in (the caller keeps its object), never on the way out. */
const clone = <T>(value: T): T => deepFreeze(structuredClone(value));

export class MemoryAgentStore implements AgentStore {
  private readonly agents = new Map<string, AgentRecord>();

  async create(agent: AgentRecord): Promise<void> {
    const key = tupleKey(agent.tenantId, agent.id);
    if (this.agents.has(key)) throw new KakuninError('CONFLICT', 'agent exists');
    this.agents.set(key, clone(agent));
  }

  async get(tenantId: string, id: string): Promise<AgentRecord | undefined> {
    return this.agents.get(tupleKey(tenantId, id));
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<Page<AgentRecord>> {
    const all = [...this.agents.values()]
      .filter((a) => a.tenantId === tenantId)
      .sort((a, b) => a.id.localeCompare(b.id));
    const start = cursor ? all.findIndex((a) => a.id > cursor) : 0;
    const items = start < 0 ? [] : all.slice(start, start + limit);
    const last = items.at(-1);
    const more = start >= 0 && start + limit < all.length;
    return more && last ? { items, nextCursor: last.id } : { items };
  }

  async update(tenantId: string, id: string, patch: Partial<AgentRecord>): Promise<AgentRecord> {
    const key = tupleKey(tenantId, id);
    const found = this.agents.get(key);
    if (!found) throw notFound('agent');
    const updated = clone({ ...found, ...patch });
    this.agents.set(key, updated);
    return updated;
  }
}

/**
 * Certificates, sharing the "registry" with an agent store as the single-table DynamoDB design does, so that
 * `readVerificationState` answers certificates and agents together from the live records (a revocation or a
 * suspension is visible at once). Without an agent store every agent reads as absent (suspended: fail closed).
 */
export class MemoryCertificateStore implements CertificateStore {
  private readonly certs = new Map<string, CertificateRecord>();

  /**
   * `risk`: where `readVerificationState` reads the agents' risk scores (the behaviour store, as deployed: the
   * consumer's saves are what the verifier reads). @default no agent has a score yet
   */
  constructor(
    private readonly agentStore: Pick<MemoryAgentStore, 'get'> = new MemoryAgentStore(),
    private readonly risk: RiskReader = { current: async () => undefined },
  ) {}

  async put(record: CertificateRecord): Promise<void> {
    const key = tupleKey(record.tenantId, record.fingerprint);
    if (this.certs.has(key)) throw new KakuninError('CONFLICT', 'certificate exists');
    this.certs.set(key, clone(record));
  }

  async get(tenantId: string, fingerprint: string): Promise<CertificateRecord | undefined> {
    return this.certs.get(tupleKey(tenantId, fingerprint));
  }

  async getMany(tenantId: string, fingerprints: string[]): Promise<CertificateRecord[]> {
    return fingerprints.flatMap((fp) => {
      const found = this.certs.get(tupleKey(tenantId, fp));
      return found ? [found] : [];
    });
  }

  async revoke(tenantId: string, fingerprint: string, reason: RevocationReason, at: number): Promise<RevocationResult> {
    const key = tupleKey(tenantId, fingerprint);
    const found = this.certs.get(key);
    if (!found) throw notFound('certificate');
    if (found.status === 'revoked' && found.revokedAt !== undefined && found.revocationReason !== undefined) {
      return { revokedAt: found.revokedAt, reason: found.revocationReason, changed: false };
    }
    this.certs.set(key, clone({ ...found, status: 'revoked', revokedAt: at, revocationReason: reason }));
    return { revokedAt: at, reason, changed: true };
  }

  async listChildren(tenantId: string, parentFingerprint: string): Promise<CertificateRecord[]> {
    return this.where((c) => c.tenantId === tenantId && c.parentFingerprint === parentFingerprint);
  }

  async listByAgent(tenantId: string, agentId: string): Promise<CertificateRecord[]> {
    return this.where((c) => c.tenantId === tenantId && c.agentId === agentId);
  }

  async listRevoked(tenantId: string): Promise<CertificateRecord[]> {
    return this.where((c) => c.tenantId === tenantId && c.status === 'revoked');
  }

  async readVerificationState(tenantId: string, keys: VerificationStateKeys): Promise<VerificationState> {
    const riskAgentIds = keys.riskAgentIds === undefined ? undefined : [...new Set(keys.riskAgentIds)];
    const [found, agents, risks] = await Promise.all([
      this.getMany(tenantId, [...new Set(keys.fingerprints)]),
      Promise.all([...new Set(keys.agentIds)].map((id) => this.agentStore.get(tenantId, id))),
      riskAgentIds === undefined
        ? undefined
        : Promise.all(
            riskAgentIds.map(async (agentId) => ({ agentId, risk: await this.risk.current(tenantId, agentId) })),
          ),
    ]);
    const state: VerificationState = {
      certificates: found.map((c) => ({ tenantId: c.tenantId, fingerprint: c.fingerprint, status: c.status })),
      agents: agents.flatMap((agent) => (agent === undefined ? [] : [agentStateOf(agent)])),
    };
    if (risks !== undefined) {
      state.risks = risks.flatMap(({ agentId, risk }) =>
        risk === undefined ? [] : [{ tenantId, agentId, score: risk.score }],
      );
    }
    return state;
  }

  private where(predicate: (c: CertificateRecord) => boolean): CertificateRecord[] {
    return [...this.certs.values()].filter(predicate);
  }
}

function agentStateOf(agent: AgentRecord): AgentState {
  const state: AgentState = {
    tenantId: agent.tenantId,
    id: agent.id,
    status: agent.status,
    mode: agent.mode,
    warningThreshold: agent.warningThreshold,
    anomalyThreshold: agent.anomalyThreshold,
  };
  if (agent.parentAgentId !== undefined) state.parentAgentId = agent.parentAgentId;
  return state;
}

export class MemoryApiKeyStore implements ApiKeyStore {
  private readonly keys = new Map<string, ApiKeyRecord>();

  async put(record: ApiKeyRecord): Promise<void> {
    if (this.keys.has(record.keyHash)) throw new KakuninError('CONFLICT', 'api key exists');
    this.keys.set(record.keyHash, clone(record));
  }

  async getByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    return this.keys.get(keyHash);
  }
}

export class MemoryCaStore implements CaStore {
  private root: CaRecord | undefined;
  private readonly tenants = new Map<string, TenantRecord>();
  private readonly crlNumbers = new Map<string, bigint>();

  async getRoot(): Promise<CaRecord | undefined> {
    return this.root;
  }

  async putRoot(root: CaRecord): Promise<CaRecord> {
    this.root ??= clone(root);
    return this.root;
  }

  async getTenant(tenantId: string): Promise<TenantRecord | undefined> {
    return this.tenants.get(tenantId);
  }

  async putTenant(tenant: TenantRecord): Promise<TenantRecord> {
    if (!this.tenants.has(tenant.id)) this.tenants.set(tenant.id, clone(tenant));
    return this.tenants.get(tenant.id)!;
  }

  async nextCrlNumber(tenantId: string): Promise<bigint> {
    const next = (this.crlNumbers.get(tenantId) ?? 0n) + 1n;
    this.crlNumbers.set(tenantId, next);
    return next;
  }

  private readonly crlRevisions = new Map<string, bigint>();

  async crlRevision(tenantId: string): Promise<bigint> {
    return this.crlRevisions.get(tenantId) ?? 0n;
  }

  async bumpCrlRevision(tenantId: string): Promise<bigint> {
    const next = (this.crlRevisions.get(tenantId) ?? 0n) + 1n;
    this.crlRevisions.set(tenantId, next);
    return next;
  }
}

export class MemoryNonceStore implements NonceStore {
  private readonly nonces = new Map<string, number>();

  async claim(tenantId: string, fingerprint: string, nonce: string, now: number, expiresAt: number): Promise<boolean> {
    const key = tupleKey(tenantId, fingerprint, nonce);
    const seenUntil = this.nonces.get(key);
    if (seenUntil !== undefined && seenUntil >= now) return false;
    this.nonces.set(key, expiresAt);
    return true;
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Hierarchical velocity budgets in memory: every level of a request is checked, then all are counted, inside one
 * method body (atomic, since Node runs one callback at a time), the guarantee the DynamoDB store gets from its
 * reserve-then-release sequence.
 */
export class MemoryVelocityStore implements VelocityStore {
  private readonly hourly = new Map<string, number[]>();
  private readonly daily = new Map<string, number>();

  async consume(request: VelocityRequest): Promise<VelocityResult> {
    const amount = request.amount ?? 0;
    // As the DynamoDB store: a negative or non-finite amount never fits (a negative one would "refund" volume).
    const unfit = !(Number.isFinite(amount) && amount >= 0);
    for (const level of request.levels) {
      const recent = this.recent(request, level.fingerprint);
      if (level.maxTransactionsPerHour !== undefined && recent.length + 1 > level.maxTransactionsPerHour) {
        return { ok: false, limit: 'maxTransactionsPerHour', fingerprint: level.fingerprint };
      }
      const volume = this.daily.get(this.dayKey(request, level.fingerprint)) ?? 0;
      if (level.maxDailyVolume !== undefined && (unfit || volume + amount > level.maxDailyVolume)) {
        return { ok: false, limit: 'maxDailyVolume', fingerprint: level.fingerprint };
      }
    }
    for (const level of request.levels) {
      const recent = this.recent(request, level.fingerprint);
      if (level.maxTransactionsPerHour !== undefined) {
        recent.push(request.at);
        this.hourly.set(tupleKey(request.tenantId, level.fingerprint), recent);
      }
      if (level.maxDailyVolume !== undefined) {
        const dayKey = this.dayKey(request, level.fingerprint);
        this.daily.set(dayKey, (this.daily.get(dayKey) ?? 0) + amount);
      }
    }
    return { ok: true };
  }

  async release(request: VelocityRequest): Promise<void> {
    const amount = request.amount ?? 0;
    if (!(Number.isFinite(amount) && amount >= 0)) return;
    for (const level of request.levels) {
      if (level.maxTransactionsPerHour !== undefined) {
        const recent = this.hourly.get(tupleKey(request.tenantId, level.fingerprint)) ?? [];
        const index = recent.lastIndexOf(request.at);
        if (index >= 0) recent.splice(index, 1);
      }
      if (level.maxDailyVolume !== undefined) {
        const dayKey = this.dayKey(request, level.fingerprint);
        const volume = this.daily.get(dayKey);
        if (volume !== undefined) this.daily.set(dayKey, volume - amount);
      }
    }
  }

  /** The volume counted for a certificate on the UTC day of `at` (tests compare it with what was verified). */
  dayVolume(tenantId: string, fingerprint: string, at: number): number {
    return this.daily.get(tupleKey(tenantId, fingerprint, Math.floor(at / DAY_MS))) ?? 0;
  }

  /** Transactions counted for a certificate in the hour before `at`. */
  hourCount(tenantId: string, fingerprint: string, at: number): number {
    return (this.hourly.get(tupleKey(tenantId, fingerprint)) ?? []).filter((t) => t > at - HOUR_MS).length;
  }

  private recent(request: VelocityRequest, fingerprint: string): number[] {
    return (this.hourly.get(tupleKey(request.tenantId, fingerprint)) ?? []).filter((t) => t > request.at - HOUR_MS);
  }

  private dayKey(request: VelocityRequest, fingerprint: string): string {
    return tupleKey(request.tenantId, fingerprint, Math.floor(request.at / DAY_MS));
  }
}
