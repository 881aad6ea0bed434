/** The event publisher of a deployed function (EventBridge): certificate lifecycle events (docs/api.md §5). */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/aws/eventbridge-publisher.js';
import type { EventPublisher } from '../../ports.js';
import { SDK_MAX_ATTEMPTS, sdkRequestHandler } from './http-handler.js';

export function createEventPublisher(busName: string): EventPublisher {
  return new EventBridgePublisher(
    new EventBridgeClient({ maxAttempts: SDK_MAX_ATTEMPTS, requestHandler: sdkRequestHandler() }),
    busName,
  );
}
