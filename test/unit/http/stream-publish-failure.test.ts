/**
 * Issue 9: in the verify Lambda a failed stream publish went to raw stderr. It now goes to the structured logger
 * (ids only) and the StreamPublishFailures metric, which the stack alarms on; the verification itself stands.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createVerifier } from '../../../src/app/verifier-factory.js';
import { metrics, reportStreamPublishFailure } from '../../../src/http/observability.js';
import { createTestApiWithAgent } from './harness.js';

function captureOutput(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const grab = (chunk: unknown) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(grab);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(grab);
  return {
    text: () => chunks.join(''),
    restore: () => {
      out.mockRestore();
      err.mockRestore();
    },
  };
}

afterEach(() => vi.restoreAllMocks());

describe('stream publish failures', () => {
  it('are logged as structured errors with ids only, and counted', () => {
    const added = vi.spyOn(metrics, 'addMetric');
    const capture = captureOutput();
    try {
      reportStreamPublishFailure({
        tenantId: 't1',
        agentId: 'a_1234567890abcdef',
        certificateFingerprint: `sha256:${'a'.repeat(64)}`,
        actionId: 'act_42',
        auditId: 'aud_42',
        error: Object.assign(new Error('ProvisionedThroughputExceeded: payload secret-payload'), { name: 'Throttled' }),
      });
    } finally {
      capture.restore();
    }
    const line = JSON.parse(capture.text().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'ERROR',
      message: 'stream publish failed',
      actionId: 'act_42',
      auditId: 'aud_42',
      error: 'Throttled',
    });
    expect(capture.text()).not.toContain('secret-payload');
    expect(added).toHaveBeenCalledWith('StreamPublishFailures', 'Count', 1);
  });

  it('reach the hook of a verifier built by createVerifier, and the action stays verified', async () => {
    const { api, admin, agentId } = await createTestApiWithAgent('stream-down');
    const issued = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/certificates`,
      key: admin,
      body: { scope: {} },
    });
    const signed = await api.call({
      method: 'POST',
      path: `/v1/agents/${agentId}/sign`,
      key: admin,
      body: { payload: { action: 'x' }, certificateFingerprint: issued.json.fingerprint },
    });
    const failures: string[] = [];
    const verifier = createVerifier(
      {
        ...api.ports,
        stream: { publish: () => Promise.reject(new Error('stream down')) },
      },
      { timestampWindowMs: 300_000 },
      { onStreamPublishFailure: (failure) => failures.push(failure.auditId) },
    );
    const result = await verifier.verify('t1', signed.json);
    expect(result).toMatchObject({ verified: true });
    expect(failures).toEqual([(result as { auditId: string }).auditId]);
  });
});
