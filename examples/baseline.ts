/**
 * The guide's "Establishing Baseline": observe, review the collected stats, lock a baseline. Behavioural monitoring's
 * routes (contract §6) arrive with the monitoring pipeline; against a service without them this example says so and
 * exits cleanly instead of pretending.
 * Run: KAKUNIN_API_KEY=… npx tsx examples/baseline.ts
 */
import { KakuninError } from '@kakunin/sdk';
import { agentName, kakuninFromEnv, printResult } from './support/env.js';

const kakunin = kakuninFromEnv();

// Week 1: Permissive mode — observe, don't block
const agent = await kakunin.agents.create({
  name: agentName('payment-processor-eu-v3'),
  mode: 'observe', // Log anomalies, don't block
  anomalyThreshold: 1.0, // Never block during baseline collection
});

try {
  // Week 2: Review collected baseline stats
  const stats = await kakunin.monitoring.getStats(agent.id, {
    window: '7d',
    metrics: ['transaction_size', 'frequency', 'counterparty_distribution', 'hour_of_day'],
  });

  // Approve and lock baseline
  const locked = await kakunin.monitoring.setBaseline(agent.id, {
    transaction_size: { p50: stats.transaction_size.p50, p99: stats.transaction_size.p99 },
    transactions_per_hour: { p95: stats.frequency.p95 },
    preferred_counterparties: stats.counterparty_distribution.top(5),
    active_hours: stats.hour_of_day.activePeriods,
  });
  printResult({ monitoring: 'available', mode: agent.mode, count: stats.count, locked: locked.locked });
} catch (error) {
  if (!(error instanceof KakuninError) || error.status !== 404 || error.code !== 'NOT_FOUND') throw error;
  console.error('This service has no behavioural monitoring routes yet (GET /v1/agents/{id}/stats answered 404).');
  printResult({ monitoring: 'not_available', mode: agent.mode, status: error.status, code: error.code });
}
