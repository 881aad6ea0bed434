import { describe, expect, it } from 'vitest';
import { LocalEventBus } from '../../../src/adapters/local/local-event-bus.js';
import type { KakuninEvent } from '../../../src/core/model.js';

const event = (id: string, data: Record<string, unknown> = {}): KakuninEvent => ({
  id,
  type: 'agent.certificate_revoked',
  createdAt: '2026-01-01T00:00:00.000Z',
  tenantId: 'local',
  data: { agent_id: 'a_0123456789abcdef', certificate_fingerprint: 'sha256:ab', ...data },
});

describe('LocalEventBus', () => {
  it('records events, notifies subscribers and logs one line without the data', async () => {
    const lines: string[] = [];
    const bus = new LocalEventBus({ log: (line) => lines.push(line) });
    const seen: string[] = [];
    const unsubscribe = bus.subscribe((e) => {
      seen.push(e.id);
    });
    await bus.publish(event('evt_1', { anomaly_details: 'secret-ish detail' }));
    unsubscribe();
    await bus.publish(event('evt_2'));
    expect(seen).toEqual(['evt_1']);
    expect(bus.events().map((e) => e.id)).toEqual(['evt_1', 'evt_2']);
    expect(lines).toEqual([
      'event agent.certificate_revoked evt_1 tenant=local agent=a_0123456789abcdef',
      'event agent.certificate_revoked evt_2 tenant=local agent=a_0123456789abcdef',
    ]);
    expect(lines.join('\n')).not.toContain('secret-ish');
  });

  it('keeps publishing when a subscriber throws, and bounds what it retains', async () => {
    const lines: string[] = [];
    const bus = new LocalEventBus({ log: (line) => lines.push(line), retain: 2 });
    bus.subscribe(() => {
      throw new Error('boom');
    });
    for (const id of ['evt_1', 'evt_2', 'evt_3']) await bus.publish(event(id));
    expect(bus.events().map((e) => e.id)).toEqual(['evt_2', 'evt_3']);
    expect(lines.filter((l) => l.includes('subscriber failed'))).toHaveLength(3);
  });

  it('hands out copies, so a subscriber cannot alter the record', async () => {
    const bus = new LocalEventBus();
    bus.subscribe((e) => {
      e.data.agent_id = 'tampered';
    });
    await bus.publish(event('evt_1'));
    expect(bus.events()[0]?.data.agent_id).toBe('a_0123456789abcdef');
  });
});
