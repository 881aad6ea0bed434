import { describe, expect, it } from 'vitest';
import {
  effectiveMonitoringSettings,
  settingsLooserThanParent,
} from '../../../../src/core/authorization/effective-settings.js';

const observe = (warningThreshold: number, anomalyThreshold: number) =>
  ({ mode: 'observe', warningThreshold, anomalyThreshold }) as const;
const enforce = (warningThreshold: number, anomalyThreshold: number) =>
  ({ mode: 'enforce', warningThreshold, anomalyThreshold }) as const;

describe('effectiveMonitoringSettings', () => {
  it('is the agent’s own settings for a chain of one', () => {
    expect(effectiveMonitoringSettings([observe(0.5, 0.6)])).toEqual(observe(0.5, 0.6));
  });

  it('takes the strictest of each setting along the chain, wherever it sits', () => {
    expect(effectiveMonitoringSettings([enforce(0.9, 0.95), observe(0.6, 0.99), observe(0.7, 0.4)])).toEqual(
      enforce(0.6, 0.4),
    );
  });

  it('makes a subtree stricter when a parent becomes stricter later', () => {
    const child = observe(0.7, 0.8);
    expect(effectiveMonitoringSettings([observe(0.75, 0.85), child])).toEqual(observe(0.7, 0.8));
    expect(effectiveMonitoringSettings([enforce(0.2, 0.3), child])).toEqual(enforce(0.2, 0.3));
  });

  it('fails closed on a corrupt record: unknown mode enforces, a non-number threshold counts as 0', () => {
    const corrupt = { mode: 'bogus', warningThreshold: Number.NaN, anomalyThreshold: 'x' } as never;
    expect(effectiveMonitoringSettings([observe(0.5, 0.5), corrupt])).toEqual(enforce(0, 0));
  });

  it('refuses an empty chain', () => {
    expect(() => effectiveMonitoringSettings([])).toThrow(RangeError);
  });
});

describe('settingsLooserThanParent', () => {
  it.each([
    [observe(0.75, 0.85), observe(0.75, 0.85), undefined],
    [enforce(0.1, 0.2), observe(0.75, 0.85), undefined],
    [observe(0.1, 0.2), enforce(0.75, 0.85), 'mode'],
    [enforce(0.8, 0.85), enforce(0.75, 0.85), 'warningThreshold'],
    [enforce(0.75, 1), enforce(0.75, 0.85), 'anomalyThreshold'],
  ])('%o under %o → %s', (settings, parent, field) => {
    expect(settingsLooserThanParent(settings, parent)?.field).toBe(field);
  });
});
