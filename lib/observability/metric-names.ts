/**
 * Custom metrics the handlers emit with Powertools Metrics (EMF) into namespace `Kakunin` (src/http/observability.ts).
 * The dashboard reads them with SEARCH expressions over the namespace, so the dimension sets (service, outcome, code)
 * need not be repeated here and every (outcome, code) pair becomes its own series.
 * A renamed metric silently empties a widget: keep these in step with src/http/observability.ts.
 */
export const METRIC_NAMESPACE = 'Kakunin';

export const METRICS = {
  /** Count with dimensions `outcome` (verified|rejected) and `code` (a docs/api.md §4 code, or NONE). */
  verifications: 'Verifications',
  /** Count; REPLAY_DETECTED rejections (also counted in Verifications). */
  replayRejections: 'ReplayRejections',
  /** Count; certificates issued. */
  certificatesIssued: 'CertificatesIssued',
  /** Count; revocations. */
  certificatesRevoked: 'CertificatesRevoked',
  /** Count, dimension `service` only; an event refused by the bus after its effect happened (alarmed). */
  eventPublishFailures: 'EventPublishFailures',
  /** Count, dimension `service` only; a verified action the stream refused (alarmed; the action stays verified). */
  streamPublishFailures: 'StreamPublishFailures',
  /** Milliseconds per KMS request, dimensions `operation` (CreateKey/GetPublicKey/Sign) and `outcome` (ok/error). */
  kmsLatency: 'KmsLatency',
  /** Count, dimension `band` (low|medium|high|critical): one per agent per consumer batch (functions/action-consumer.ts). */
  riskBandUpdates: 'RiskBandUpdates',
  /** Count; `agent.pre_revocation_warning` events raised. */
  preRevocationWarnings: 'PreRevocationWarnings',
  /** Count; automatic revocations (reason `anomaly`). */
  autoRevocations: 'AutoRevocations',
  /** Count; stream records the consumer could not decode. */
  poisonRecords: 'PoisonRecords',
  /** Count; failed webhook attempts (retried) and deliveries that became dead letters (functions/webhook-dispatcher.ts). */
  webhookDeliveryFailures: 'WebhookDeliveryFailures',
  webhookDeadLetters: 'WebhookDeadLetters',
  /** Seconds; the oldest ledger entry no checkpoint covers yet, per scheduled run (0 when all are covered). */
  checkpointUncoveredAge: 'CheckpointUncoveredAgeSeconds',
  /** Count; tenants whose newest entries failed the checkpoint's re-check (tampering or a broken store). */
  ledgerAuditFailures: 'LedgerAuditFailures',
} as const;
