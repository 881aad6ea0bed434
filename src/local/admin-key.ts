/**
 * The local tenant's admin key (contract §9): `KAKUNIN_API_KEY`, when set, is made an admin key of the local tenant
 * (idempotently: a restart with the same value finds its hash and stores nothing); otherwise a fresh key is created
 * and returned so the CLI can print it once. Both go through the API's own key creation (hash only, audited).
 */
import { API_KEY_PATTERN, createApiKey, findApiKey } from '../app/api-keys.js';
import { invalidRequest } from '../core/errors.js';
import type { AgentStore, ApiKeyStore, Clock, Ledger, Random } from '../ports.js';

export interface AdminKeyBootstrap {
  tenantId: string;
  apiKeys: ApiKeyStore;
  agents: AgentStore;
  ledger: Ledger;
  clock: Clock;
  random: Random;
}

export type AdminKeyOutcome =
  | { source: 'environment'; created: boolean }
  /** A new key: the only time it exists outside the key store's hash. */
  | { source: 'generated'; key: string };

/** Recorded in the audit entry of a key the local bootstrap created. */
const BOOTSTRAP_ACTOR = 'local-bootstrap';

export async function ensureAdminKey(
  deps: AdminKeyBootstrap,
  fromEnvironment: string | undefined,
): Promise<AdminKeyOutcome> {
  if (fromEnvironment === undefined || fromEnvironment === '') {
    const { key } = await createApiKey(deps, { tenantId: deps.tenantId, role: 'admin', by: BOOTSTRAP_ACTOR });
    return { source: 'generated', key };
  }
  // The API only ever accepts keys of its own format, so any other value could never authenticate: refuse it now.
  if (!API_KEY_PATTERN.test(fromEnvironment)) {
    throw invalidRequest('KAKUNIN_API_KEY must be 16-256 visible ASCII characters (no spaces)', 'KAKUNIN_API_KEY');
  }
  const existing = await findApiKey(deps.apiKeys, fromEnvironment);
  if (existing !== undefined) {
    if (existing.tenantId !== deps.tenantId || existing.role !== 'admin') {
      throw invalidRequest('KAKUNIN_API_KEY is already a key with another role', 'KAKUNIN_API_KEY');
    }
    return { source: 'environment', created: false };
  }
  await createApiKey(deps, { tenantId: deps.tenantId, role: 'admin', by: BOOTSTRAP_ACTOR, key: fromEnvironment });
  return { source: 'environment', created: true };
}
