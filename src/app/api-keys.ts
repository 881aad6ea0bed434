/**
 * API keys (docs/api.md §1–§2): `kk_` + base64url of 32 random bytes, shown once, stored only as the SHA-256 hex of the
 * whole key. Looking a key up by its hash means the secret is never compared byte by byte against stored secrets, so
 * there is no timing side channel on the key itself.
 */
import { createHash } from 'node:crypto';
import { invalidRequest, KakuninError } from '../core/errors.js';
import type { ApiKeyRecord, ApiKeyRole } from '../core/model.js';
import type { AgentStore, ApiKeyStore, Clock, Ledger, Random } from '../ports.js';
import { randomId } from './agents.js';

export const API_KEY_PREFIX = 'kk_';
/** What `generateApiKey` produces: `kk_` + 43 base64url characters (32 bytes, unpadded). */
export const GENERATED_API_KEY_PATTERN = /^kk_[A-Za-z0-9_-]{43}$/;
/**
 * What a presented or operator-chosen key may look like: 16–256 visible ASCII characters. Wider than the generated
 * form so that local mode's `KAKUNIN_API_KEY` can be any strong value the operator picked.
 */
export const API_KEY_PATTERN = /^[\x21-\x7e]{16,256}$/;

export function generateApiKey(random: Random): string {
  return API_KEY_PREFIX + Buffer.from(random.bytes(32)).toString('base64url');
}

/** Lowercase hex SHA-256 of the full key, as stored in ApiKeyRecord.keyHash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface ApiKeyDeps {
  apiKeys: ApiKeyStore;
  agents: AgentStore;
  ledger: Ledger;
  clock: Clock;
  random: Random;
}

export interface CreateApiKeyInput {
  tenantId: string;
  role: ApiKeyRole;
  agentId?: string;
  /** Id of the key that made the request (audit). */
  by: string;
  /**
   * A key chosen by the operator instead of a random one (local mode's `KAKUNIN_API_KEY`). Must have the key format.
   */
  key?: string;
}

/** Creates and stores a key; the returned `key` is the only copy of the secret that will ever exist. */
export async function createApiKey(
  deps: ApiKeyDeps,
  input: CreateApiKeyInput,
): Promise<{ record: ApiKeyRecord; key: string }> {
  if (input.role === 'agent') {
    if (input.agentId === undefined) throw invalidRequest('an agent key needs agentId', 'agentId');
    const agent = await deps.agents.get(input.tenantId, input.agentId);
    if (!agent) throw new KakuninError('NOT_FOUND', 'agent not found');
  } else if (input.agentId !== undefined) {
    throw invalidRequest('only an agent key is bound to an agent', 'agentId');
  }
  const key = input.key ?? generateApiKey(deps.random);
  if (!API_KEY_PATTERN.test(key)) throw invalidRequest('an API key is 16-256 visible ASCII characters', 'key');
  const record: ApiKeyRecord = {
    tenantId: input.tenantId,
    id: randomId(deps.random, 'key_'),
    role: input.role,
    ...(input.agentId === undefined ? {} : { agentId: input.agentId }),
    keyHash: hashApiKey(key),
    createdAt: deps.clock.now(),
  };
  // Audit first: a ledger failure answers 503 and no key exists (docs/api.md, "Failure semantics").
  await deps.ledger.append({
    tenantId: input.tenantId,
    actorId: record.id,
    type: 'api_key.created',
    payload: { role: record.role, ...(record.agentId === undefined ? {} : { agentId: record.agentId }), by: input.by },
  });
  await deps.apiKeys.put(record);
  return { record, key };
}

/**
 * Makes `key` a valid key of `role` in the tenant: returns the stored record when it already is one (a restart of
 * local mode with the same `KAKUNIN_API_KEY`), creates it otherwise. A key stored for another tenant or role is
 * refused, never rebound.
 */
export async function ensureApiKey(
  deps: ApiKeyDeps,
  input: CreateApiKeyInput & { key: string },
): Promise<ApiKeyRecord> {
  const existing = await findApiKey(deps.apiKeys, input.key);
  if (!existing) return (await createApiKey(deps, input)).record;
  if (existing.tenantId !== input.tenantId || existing.role !== input.role || existing.agentId !== input.agentId) {
    throw new KakuninError('CONFLICT', 'the key already exists with another binding');
  }
  return existing;
}

/** The stored record of a presented key, or undefined (unknown, malformed). */
export async function findApiKey(apiKeys: ApiKeyStore, key: string): Promise<ApiKeyRecord | undefined> {
  if (!API_KEY_PATTERN.test(key)) return undefined;
  return apiKeys.getByHash(hashApiKey(key));
}
