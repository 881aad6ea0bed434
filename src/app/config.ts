/**
 * Runtime configuration, read once from the environment and validated (design principle 8). The CDK stack sets
 * these variables on every function; local mode builds the same object in code.
 */
import { z } from 'zod';
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
}

const envSchema = z.object({
  [ENV.registryTable]: z.string().min(3),
  [ENV.noncesTable]: z.string().min(3),
  [ENV.countersTable]: z.string().min(3),
  [ENV.ledgerTable]: z.string().min(3),
  [ENV.actionStream]: z.string().min(1),
  [ENV.eventBus]: z.string().min(1),
  [ENV.artifactBucket]: z.string().min(3).optional(),
  [ENV.publicBaseUrl]: z.url(),
  [ENV.scopeOid]: z
    .string()
    .regex(/^\d+(\.\d+)+$/)
    .optional(),
  [ENV.timestampWindowSeconds]: z.coerce.number().int().min(1).max(3600).default(300),
});

/** Throws (at cold start, never per request) when the deployment is misconfigured. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'environment';
    throw invalidRequest(`invalid configuration: ${field}`, field);
  }
  const e = parsed.data;
  return {
    tables: {
      registry: e[ENV.registryTable],
      nonces: e[ENV.noncesTable],
      counters: e[ENV.countersTable],
      ledger: e[ENV.ledgerTable],
    },
    actionStream: e[ENV.actionStream],
    eventBus: e[ENV.eventBus],
    ...(e[ENV.artifactBucket] === undefined ? {} : { artifactBucket: e[ENV.artifactBucket] }),
    publicBaseUrl: e[ENV.publicBaseUrl],
    ...(e[ENV.scopeOid] === undefined ? {} : { scopeOid: e[ENV.scopeOid] }),
    timestampWindowMs: e[ENV.timestampWindowSeconds] * 1_000,
  };
}
