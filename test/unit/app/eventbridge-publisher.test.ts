import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../../src/adapters/aws/eventbridge-publisher.js';
import { DependencyError } from '../../../src/core/errors.js';
import type { KakuninEvent } from '../../../src/core/model.js';

const event: KakuninEvent = {
  id: 'evt_1',
  type: 'certificate.issued',
  createdAt: '2026-01-15T12:00:00.000Z',
  tenantId: 't1',
  data: { agent_id: 'a_1', certificate_fingerprint: 'sha256:00', not_after: '2026-02-14T12:00:00.000Z' },
};

describe('EventBridgePublisher', () => {
  const eventBridge = mockClient(EventBridgeClient);
  beforeEach(() => eventBridge.reset());

  it('puts one entry: source kakunin, detail-type = type, detail = the event JSON, on the configured bus', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'x' }] });
    await new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'kakunin-bus').publish(event);
    const entries = eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries;
    expect(entries).toHaveLength(1);
    expect(entries?.[0]).toMatchObject({
      Source: 'kakunin',
      DetailType: 'certificate.issued',
      EventBusName: 'kakunin-bus',
    });
    expect(JSON.parse(entries?.[0]?.Detail ?? '')).toEqual(event);
  });

  it('fails closed when an entry is rejected or the call fails', async () => {
    const publisher = new EventBridgePublisher(new EventBridgeClient({ region: 'eu-west-1' }), 'bus');
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    await expect(publisher.publish(event)).rejects.toBeInstanceOf(DependencyError);
    eventBridge.on(PutEventsCommand).rejects(new Error('throttled'));
    await expect(publisher.publish(event)).rejects.toBeInstanceOf(DependencyError);
  });
});
