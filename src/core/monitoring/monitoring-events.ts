/**
 * The docs/api.md §5 events the behavioural pipeline raises. A warning's id is derived from the agent and the start of
 * its anomaly episode, not drawn at random: a batch that is redelivered after the warning went out (the consumer
 * announces before it saves, so nothing is lost on a crash) re-announces it under the SAME id, and receivers that
 * deduplicate on `id` (Standard Webhooks' `webhook-id`) see it once.
 */
import { hash } from 'node:crypto';
import type { KakuninEvent, RiskContribution } from '../model.js';

const iso = (epochMs: number): string => new Date(epochMs).toISOString();

/** `evt_` + 24 lowercase hex characters of SHA-256 over the parts (the same alphabet as random event ids). */
export function derivedEventId(...parts: string[]): string {
  return `evt_${hash('sha256', JSON.stringify(parts), 'hex').slice(0, 24)}`;
}

export interface WarningFacts {
  tenantId: string;
  agentId: string;
  certificateFingerprint: string;
  riskScore: number;
  contributions: RiskContribution[];
  anomalyStart: number;
  now: number;
}

export function preRevocationWarning(facts: WarningFacts): KakuninEvent {
  return {
    id: derivedEventId(facts.tenantId, facts.agentId, 'agent.pre_revocation_warning', String(facts.anomalyStart)),
    type: 'agent.pre_revocation_warning',
    createdAt: iso(facts.now),
    tenantId: facts.tenantId,
    data: {
      agent_id: facts.agentId,
      certificate_fingerprint: facts.certificateFingerprint,
      risk_score: facts.riskScore,
      anomaly_details: facts.contributions,
      anomaly_start: iso(facts.anomalyStart),
    },
  };
}
