/** The events of docs/api.md §5, as zod schemas and types. Unknown fields are kept (forward-compatible). */
import * as z from 'zod';

const base = { id: z.string().regex(/^evt_/), createdAt: z.string() };

export const certificateIssuedEvent = z.looseObject({
  ...base,
  type: z.literal('certificate.issued'),
  data: z.looseObject({ agent_id: z.string(), certificate_fingerprint: z.string(), not_after: z.string() }),
});

export const preRevocationWarningEvent = z.looseObject({
  ...base,
  type: z.literal('agent.pre_revocation_warning'),
  data: z.looseObject({
    agent_id: z.string(),
    certificate_fingerprint: z.string(),
    risk_score: z.number(),
    anomaly_details: z.unknown(),
    anomaly_start: z.string(),
  }),
});

export const certificateRevokedEvent = z.looseObject({
  ...base,
  type: z.literal('agent.certificate_revoked'),
  data: z.looseObject({
    agent_id: z.string(),
    certificate_fingerprint: z.string(),
    revocation_reason: z.string(),
    revoked_at: z.string(),
    risk_score: z.number().optional(),
    anomaly_start: z.string().optional(),
  }),
});

export const kakuninEvent = z.discriminatedUnion('type', [
  certificateIssuedEvent,
  preRevocationWarningEvent,
  certificateRevokedEvent,
]);

export type CertificateIssuedEvent = z.infer<typeof certificateIssuedEvent>;
export type PreRevocationWarningEvent = z.infer<typeof preRevocationWarningEvent>;
export type CertificateRevokedEvent = z.infer<typeof certificateRevokedEvent>;
/** A §5 event; narrow on `type`. */
export type KakuninEvent = z.infer<typeof kakuninEvent>;
