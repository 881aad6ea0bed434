/**
 * The product guide's scenario, end to end in local mode over HTTP (docs/behavior.md): a calm week, the baseline
 * locked from the stats, then a burst of €9,900 charges. The target is warned, then revoked for anomaly and refused;
 * its calm neighbour is never warned; its observe-mode twin, given the same burst, is never revoked. Timing is measured
 * by `npm run bench guide-scenario`, not asserted here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGuideScenario, type ScenarioResult } from './guide-scenario.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("the guide's behavioural scenario in local mode", () => {
  let result: ScenarioResult;

  it('runs: calm week, stats, baseline lock, burst', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kakunin-guide-'));
    dirs.push(dir);
    result = await runGuideScenario({ dataDir: dir });
    expect(result.target.baseline).toMatchObject({ locked: true });
  }, 240_000);

  it('warns the target, then revokes its certificate for anomaly, then refuses it', () => {
    const target = result.webhookEvents.filter((e) => e.agentId === result.webhookEvents[0]?.agentId);
    expect(target.map((e) => e.type)).toEqual(['agent.pre_revocation_warning', 'agent.certificate_revoked']);
    expect(target[1]?.data).toMatchObject({ revocation_reason: 'anomaly', risk_score: expect.any(Number) });
    expect(target[0]?.data.anomaly_details).toEqual(
      expect.arrayContaining([expect.objectContaining({ signal: expect.any(String) })]),
    );
    expect(result.target.revocationReason).toBe('anomaly');
    expect(result.target.firstRefusalCode).toBe('CERTIFICATE_REVOKED');
    expect(result.target.verifiedBeforeRefusal).toBeLessThan(100);
    expect(result.target.riskAfter).toMatchObject({ band: 'critical' });
  });

  it('never warns the calm agent beside it', () => {
    expect(result.calm.warnings).toBe(0);
    expect(result.calm.verifiedAll).toBe(true);
  });

  it('never revokes the same burst in observe mode', () => {
    expect(result.observe.revoked).toBe(false);
    expect(result.observe.verifiedAll).toBe(true);
    expect(result.observe.warnings).toBe(1);
  });
});
