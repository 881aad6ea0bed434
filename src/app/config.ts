/**
 * Runtime configuration, read once from the environment and validated (design principle 8). The CDK stack sets
 * these variables on every function; local mode builds the same object in code.
 * Validated by hand, not with zod: every function reads its configuration, and the authorizer bundles no zod at all
 * (≈ 90 KB and ≈ 15 ms of cold start saved; docs/deploy.md).
 */
import { invalidRequest } from '../core/errors.js';

export const ENV = {
  registryTable: 'KAKUNIN_REGISTRY_TABLE',
  noncesTable: 'KAKUNIN_NONCES_TABLE',
  countersTable: 'KAKUNIN_COUNTERS_TABLE',
  ledgerTable: 'KAKUNIN_LEDGER_TABLE',
  actionStream: 'KAKUNIN_ACTION_STREAM',
  eventBus: 'KAKUNIN_EVENT_BUS',
  artifactBucket: 'KAKUNIN_ARTIFACT_BUCKET',
  /** Public base URL of the API, used for the CRL distribution point (`<base>/v1/crl?tenant=<id>`). */
  publicBaseUrl: 'KAKUNIN_PUBLIC_BASE_URL',
  scopeOid: 'KAKUNIN_SCOPE_OID',
  timestampWindowSeconds: 'KAKUNIN_TIMESTAMP_WINDOW_SECONDS',
  /** The Ed25519 KMS key that signs ledger checkpoints (docs/api.md §7). */
  checkpointKeyId: 'KAKUNIN_CHECKPOINT_KEY_ID',
  /** `<host>` of the ledger's origin `<host>/kakunin/<tenant>`; default: the public base URL's host. */
  logHost: 'KAKUNIN_LOG_HOST',
} as const;

export interface AppConfig {
  tables: { registry: string; nonces: string; counters: string; ledger: string };
  actionStream: string;
  eventBus: string;
  artifactBucket?: string;
  publicBaseUrl: string;
  scopeOid?: string;
  timestampWindowMs: number;
  /** Local mode serves exactly one tenant; public routes default to it. Unset when deployed. */
  defaultTenantId?: string;
  /** Ed25519 checkpoint key; unset: created in the vault on first use (local mode stores its id; tests). */
  checkpointKeyId?: string;
  logHost?: string;
  /** A served checkpoint covers entries older than this. @default 60_000 (deployed); local mode 2_000 */
  checkpointCoverageMs?: number;
}

type Env = NodeJS.ProcessEnv;

function fail(field: string): never {
  throw invalidRequest(`invalid configuration: ${field}`, field);
}

function required(env: Env, field: string, minLength: number): string {
  const value = env[field];
  if (value === undefined || value.length < minLength) fail(field);
  return value;
}

function optional(env: Env, field: string, pattern: RegExp): string | undefined {
  const value = env[field];
  if (value === undefined) return undefined;
  if (!pattern.test(value)) fail(field);
  return value;
}

function httpUrl(env: Env, field: string): string {
  const value = required(env, field, 1);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(field);
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.hostname === '') fail(field);
  return value;
}

function timestampWindowSeconds(env: Env): number {
  const field = ENV.timestampWindowSeconds;
  const raw = env[field];
  if (raw === undefined) return 300;
  const seconds = raw.trim() === '' ? Number.NaN : Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3600) fail(field);
  return seconds;
}

/** Throws (at cold start, never per request) when the deployment is misconfigured. */
export function configFromEnv(env: Env = process.env): AppConfig {
  const artifactBucket = optional(env, ENV.artifactBucket, /^.{3,}$/s);
  const scopeOid = optional(env, ENV.scopeOid, /^\d+(\.\d+)+$/);
  const checkpointKeyId = optional(env, ENV.checkpointKeyId, /^.{1,2048}$/s);
  const logHost = optional(env, ENV.logHost, /^[A-Za-z0-9.:_-]{1,253}$/);
  return {
    tables: {
      registry: required(env, ENV.registryTable, 3),
      nonces: required(env, ENV.noncesTable, 3),
      counters: required(env, ENV.countersTable, 3),
      ledger: required(env, ENV.ledgerTable, 3),
    },
    actionStream: required(env, ENV.actionStream, 1),
    eventBus: required(env, ENV.eventBus, 1),
    ...(artifactBucket === undefined ? {} : { artifactBucket }),
    publicBaseUrl: httpUrl(env, ENV.publicBaseUrl),
    ...(scopeOid === undefined ? {} : { scopeOid }),
    timestampWindowMs: timestampWindowSeconds(env) * 1_000,
    ...(checkpointKeyId === undefined ? {} : { checkpointKeyId }),
    ...(logHost === undefined ? {} : { logHost }),
  };
}
