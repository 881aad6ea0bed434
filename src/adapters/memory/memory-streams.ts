/** In-memory ActionStream, EventPublisher and RiskReader: they record what they receive, for tests. */
import type { KakuninEvent, RiskSnapshot, VerifiedAction } from '../../core/model.js';
import type { ActionStream, EventPublisher, RiskReader } from '../../ports.js';

export class MemoryActionStream implements ActionStream {
  readonly published: VerifiedAction[] = [];
  async publish(action: VerifiedAction): Promise<void> {
    this.published.push(structuredClone(action));
  }
}

export class MemoryEventPublisher implements EventPublisher {
  readonly published: KakuninEvent[] = [];
  async publish(event: KakuninEvent): Promise<void> {
    this.published.push(structuredClone(event));
  }
}

export class MemoryRiskReader implements RiskReader {
  private readonly scores = new Map<string, RiskSnapshot>();
  set(tenantId: string, agentId: string, snapshot: RiskSnapshot): void {
    this.scores.set(JSON.stringify([tenantId, agentId]), snapshot);
  }
  async current(tenantId: string, agentId: string): Promise<RiskSnapshot | undefined> {
    return this.scores.get(JSON.stringify([tenantId, agentId]));
  }
}
