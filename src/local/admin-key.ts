/**
 * The local tenant's admin key (docs/api.md §9): `KAKUNIN_API_KEY`, when set, is made an admin key of the local tenant
 * through the API's own `ensureApiKey` (idempotent: a restart with the same value finds its hash and stores nothing);
 * otherwise `createApiKey` makes a fresh one, returned so the CLI can print it once. Hashing, generation, the key
 * format and the audit entry all live in src/app/api-keys.ts; this module only maps the outcome for the CLI.
 */
import { type ApiKeyDeps, createApiKey, ensureApiKey } from '../app/api-keys.js';
import { invalidRequest, KakuninError } from '../core/errors.js';

export interface AdminKeyBootstrap extends ApiKeyDeps {
  tenantId: string;
}

export type AdminKeyOutcome =
  /** `keyId`: the id of the stored record (never the key). */
  | { source: 'environment'; keyId: string }
  /** A new key: the only time it exists outside the key store's hash. */
  | { source: 'generated'; key: string };

/** Recorded in the audit entry of a key the local bootstrap created. */
const BOOTSTRAP_ACTOR = 'local-bootstrap';
const ENV_FIELD = 'KAKUNIN_API_KEY';

export async function ensureAdminKey(
  deps: AdminKeyBootstrap,
  fromEnvironment: string | undefined,
): Promise<AdminKeyOutcome> {
  const request = { tenantId: deps.tenantId, role: 'admin', by: BOOTSTRAP_ACTOR } as const;
  if (fromEnvironment === undefined || fromEnvironment === '') {
    const { key } = await createApiKey(deps, request);
    return { source: 'generated', key };
  }
  try {
    const record = await ensureApiKey(deps, { ...request, key: fromEnvironment });
    return { source: 'environment', keyId: record.id };
  } catch (error) {
    // Name the variable the operator has to fix, not the API's internal field.
    if (error instanceof KakuninError && error.code === 'CONFLICT') {
      throw invalidRequest(`${ENV_FIELD} is already a key with another role or tenant`, ENV_FIELD);
    }
    if (error instanceof KakuninError && error.code === 'INVALID_REQUEST' && error.field === 'key') {
      throw invalidRequest(`${ENV_FIELD} must be 16-256 visible ASCII characters (no spaces)`, ENV_FIELD);
    }
    throw error;
  }
}
