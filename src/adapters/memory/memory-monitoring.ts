/** In-memory monitoring ports: BehaviorStore and WebhookStore (same conditional semantics as DynamoDB), and a recording webhook transport and scheduler. */
import type { BaselineLock, RiskSnapshot, WebhookDeadLetter, WebhookSubscription } from '../../core/model.js';
import type {
  DeliveryJob,
  DeliveryScheduler,
  WebhookRequest,
  WebhookTransport,
} from '../../core/webhooks/webhook-dispatcher.js';
import type { BehaviorRecord, BehaviorStore, BehaviorUpdate, RiskReader, WebhookStore } from '../../ports.js';

const keyOf = (...parts: string[]) => JSON.stringify(parts);

export class MemoryBehaviorStore implements BehaviorStore, RiskReader {
  private readonly records = new Map<string, BehaviorRecord>();
  /** Set to make the next `save` fail as a dependency would. */
  failNextSave = false;

  async load(tenantId: string, agentId: string): Promise<BehaviorRecord> {
    const record = this.records.get(keyOf(tenantId, agentId));
    return record === undefined ? { tenantId, agentId, version: 0 } : structuredClone(record);
  }

  async current(tenantId: string, agentId: string): Promise<RiskSnapshot | undefined> {
    const risk = this.records.get(keyOf(tenantId, agentId))?.risk;
    return risk === undefined ? undefined : { score: risk.score, band: risk.band, updatedAt: risk.updatedAt };
  }

  async save(tenantId: string, agentId: string, expectedVersion: number, update: BehaviorUpdate): Promise<boolean> {
    if (this.failNextSave) {
      this.failNextSave = false;
      throw new Error('simulated save failure');
    }
    const key = keyOf(tenantId, agentId);
    const current = this.records.get(key) ?? { tenantId, agentId, version: 0 };
    if (current.version !== expectedVersion) return false;
    this.records.set(key, {
      ...current,
      version: expectedVersion + 1,
      state: new Uint8Array(update.state),
      risk: structuredClone(update.risk),
    });
    return true;
  }

  async putBaseline(tenantId: string, agentId: string, baseline: BaselineLock): Promise<void> {
    const key = keyOf(tenantId, agentId);
    const current = this.records.get(key) ?? { tenantId, agentId, version: 0 };
    this.records.set(key, { ...current, baseline: structuredClone(baseline) });
  }
}

export class MemoryWebhookStore implements WebhookStore {
  private readonly subscriptions = new Map<string, WebhookSubscription>();
  private readonly deadLetters = new Map<string, WebhookDeadLetter>();

  async create(subscription: WebhookSubscription): Promise<void> {
    const key = keyOf(subscription.tenantId, subscription.id);
    if (this.subscriptions.has(key)) throw new Error('webhook exists');
    this.subscriptions.set(key, structuredClone(subscription));
  }

  async get(tenantId: string, id: string): Promise<WebhookSubscription | undefined> {
    const found = this.subscriptions.get(keyOf(tenantId, id));
    return found === undefined ? undefined : structuredClone(found);
  }

  async list(tenantId: string): Promise<WebhookSubscription[]> {
    return [...this.subscriptions.values()]
      .filter((s) => s.tenantId === tenantId)
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((s) => structuredClone(s));
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.subscriptions.delete(keyOf(tenantId, id));
  }

  async putDeadLetter(letter: WebhookDeadLetter): Promise<void> {
    this.deadLetters.set(keyOf(letter.tenantId, letter.webhookId, letter.eventId), structuredClone(letter));
  }

  async listDeadLetters(tenantId: string, webhookId: string): Promise<WebhookDeadLetter[]> {
    return [...this.deadLetters.values()]
      .filter((l) => l.tenantId === tenantId && l.webhookId === webhookId)
      .sort((a, b) => a.firstAttemptAt - b.firstAttemptAt)
      .map((l) => structuredClone(l));
  }

  async deleteDeadLetter(tenantId: string, webhookId: string, eventId: string): Promise<void> {
    this.deadLetters.delete(keyOf(tenantId, webhookId, eventId));
  }
}

/** Records every request and answers `status` (200 unless a test changes it). */
export class MemoryWebhookTransport implements WebhookTransport {
  readonly requests: WebhookRequest[] = [];
  status = 200;
  async post(request: WebhookRequest): Promise<{ status: number }> {
    this.requests.push(structuredClone(request));
    return { status: this.status };
  }
}

/** Records scheduled jobs; a test runs them with `runDue`. */
export class MemoryDeliveryScheduler implements DeliveryScheduler {
  readonly jobs: { job: DeliveryJob; delayMs: number }[] = [];
  async schedule(job: DeliveryJob, delayMs: number): Promise<void> {
    this.jobs.push({ job: structuredClone(job), delayMs });
  }
  /** Removes and returns every recorded job. */
  take(): DeliveryJob[] {
    return this.jobs.splice(0).map((entry) => entry.job);
  }
}
