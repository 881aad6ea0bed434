/** The scheduled checkpoint-and-audit run over in-memory ports: publishes, measures uncovered age, flags tampering. */
import { describe, expect, it } from 'vitest';
import { runCheckpointJob } from '../../../src/app/checkpoint-job.js';
import { createTestApi } from '../http/harness.js';

describe('runCheckpointJob', () => {
  it('checkpoints every tenant, reports 0 when all is covered, and an integrity failure when the log was altered', async () => {
    const api = await createTestApi();
    const admin = await api.key('t1', 'admin');
    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'one' } });
    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'two' } });
    const deps = {
      auditLog: api.ctx.auditLog,
      ledger: api.ctx.ledger,
      checkpoints: api.ctx.checkpoints,
      clock: api.clock,
    };
    const { size } = await api.ctx.ledger.head('t1');
    const first = await runCheckpointJob(deps, ['t1', 'empty']);
    expect(first).toEqual([
      { tenantId: 't1', size, uncoveredAgeSeconds: 0, integrityFailure: false },
      { tenantId: 'empty', size: 0, uncoveredAgeSeconds: 0, integrityFailure: false },
    ]);
    expect(api.ports.events.published.filter((e) => e.type === 'ledger.checkpoint_published')).toHaveLength(2);

    await api.call({ method: 'POST', path: '/v1/agents', key: admin, body: { name: 'three' } });
    const chain = api.ports.ledger.rawChain('t1');
    chain[size] = { ...chain[size]!, actorId: 'forged' };
    api.clock.set(api.clock.now() + 11 * 60_000);
    const [report] = await runCheckpointJob(deps, ['t1']);
    expect(report).toMatchObject({ tenantId: 't1', size, integrityFailure: true, uncoveredAgeSeconds: 660 });
  });
});
