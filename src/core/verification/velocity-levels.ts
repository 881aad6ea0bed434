/**
 * Which velocity counters an action consumes (docs/api.md §3, "Velocity limits bind the subtree"): its certificate's
 * and every ancestor certificate's that declares a limit, root first, the limits read from each certificate's own
 * scope extension.
 */
import type { VelocityLevel, VelocityRequest } from '../../ports.js';
import type { CertificateFacts } from './certificate-facts.js';
import type { VerificationContext } from './verification-context.js';

/** Undefined when no certificate of the chain declares a velocity limit (nothing to count). */
export function velocityRequestFor(
  tenantId: string,
  context: Pick<VerificationContext, 'record' | 'lineage'>,
  amount: number | undefined,
  at: number,
): VelocityRequest | undefined {
  const levels: VelocityLevel[] = [];
  for (const certificate of [...context.lineage, context.record]) {
    const level = levelOf(certificate);
    if (level !== undefined) levels.push(level);
  }
  if (levels.length === 0) return undefined;
  // Built by assignment: conditional spreads inside a literal are a slow path in V8.
  const request: VelocityRequest = { tenantId, at, levels };
  if (amount !== undefined) request.amount = amount;
  return request;
}

function levelOf(certificate: Pick<CertificateFacts, 'fingerprint' | 'scope'>): VelocityLevel | undefined {
  const { maxTransactionsPerHour, maxDailyVolume } = certificate.scope;
  if (maxTransactionsPerHour === undefined && maxDailyVolume === undefined) return undefined;
  const level: VelocityLevel = { fingerprint: certificate.fingerprint };
  if (maxTransactionsPerHour !== undefined) level.maxTransactionsPerHour = maxTransactionsPerHour;
  if (maxDailyVolume !== undefined) level.maxDailyVolume = maxDailyVolume;
  return level;
}
