/**
 * Publishes docs/api.md §5 events to EventBridge: Source `kakunin`, DetailType = the event type, Detail = the event JSON
 * (`{id, type, createdAt, data}` plus `tenantId`, so rules and webhook delivery can route by tenant). A rejected entry (FailedEntryCount > 0) or a failed call is a DependencyError: fail closed.
 */
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DependencyError } from '../../core/errors.js';
import type { KakuninEvent } from '../../core/model.js';
import type { EventPublisher } from '../../ports.js';

export const EVENT_SOURCE = 'kakunin';

export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  async publish(event: KakuninEvent): Promise<void> {
    let failed: number;
    try {
      const output = await this.client.send(
        new PutEventsCommand({
          Entries: [
            {
              Source: EVENT_SOURCE,
              DetailType: event.type,
              Detail: JSON.stringify(event),
              EventBusName: this.eventBusName,
              Time: new Date(event.createdAt),
            },
          ],
        }),
      );
      failed = output.FailedEntryCount ?? 0;
    } catch (error) {
      throw new DependencyError('event bus unavailable', error);
    }
    if (failed > 0) throw new DependencyError('event bus rejected the event');
  }
}
