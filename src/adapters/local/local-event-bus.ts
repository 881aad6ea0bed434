/**
 * Local mode's stand-in for the EventBridge bus: an in-process publisher that keeps the most recent events, writes one
 * log line per event and hands each event to its subscribers (webhook delivery subscribes here in a later issue).
 * The log line names the event, never its data: data may carry risk details a terminal should not echo.
 */
import type { KakuninEvent } from '../../core/model.js';
import type { EventPublisher } from '../../ports.js';

export type EventListener = (event: KakuninEvent) => void | Promise<void>;

export interface LocalEventBusOptions {
  /** Where the one-line summaries go; defaults to no logging. */
  log?: (line: string) => void;
  /** How many recent events to keep for inspection. @default 1000 */
  retain?: number;
}

export class LocalEventBus implements EventPublisher {
  private readonly listeners = new Set<EventListener>();
  private readonly recent: KakuninEvent[] = [];
  private readonly log: (line: string) => void;
  private readonly retain: number;

  constructor(options: LocalEventBusOptions = {}) {
    this.log = options.log ?? (() => undefined);
    this.retain = options.retain ?? 1_000;
  }

  /**
   * Records the event and notifies subscribers. Like EventBridge, publishing succeeds once the bus has the event:
   * a failing subscriber is logged and does not fail the request that raised the event.
   */
  async publish(event: KakuninEvent): Promise<void> {
    const copy = structuredClone(event);
    this.recent.push(copy);
    if (this.recent.length > this.retain) this.recent.splice(0, this.recent.length - this.retain);
    this.log(`event ${copy.type} ${copy.id} tenant=${copy.tenantId}${agentOf(copy)}`);
    for (const listener of this.listeners) {
      try {
        await listener(structuredClone(copy));
      } catch (error) {
        this.log(`event ${copy.id}: subscriber failed (${error instanceof Error ? error.name : 'unknown'})`);
      }
    }
  }

  /** Registers a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** The retained events, oldest first (copies). */
  events(): KakuninEvent[] {
    return structuredClone(this.recent);
  }
}

function agentOf(event: KakuninEvent): string {
  const agentId = event.data.agent_id;
  return typeof agentId === 'string' ? ` agent=${agentId}` : '';
}
