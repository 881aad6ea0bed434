/**
 * The composition contract between the runtimes and the handlers. A runtime (Lambda: src/app/aws-context.ts; local
 * mode: src/local/local-context.ts) builds the `Ports`; `assembleContext` (src/app/assemble.ts) wires the core
 * services on top; handlers receive the resulting `AppContext` and nothing else.
 */
import type { ActionVerifierService, CertificateAuthorityService } from '../core/services.js';
import type {
  ActionStream,
  AgentStore,
  ApiKeyStore,
  CaStore,
  CertificateStore,
  CheckpointStore,
  Clock,
  CrlStore,
  EventPublisher,
  KeyVault,
  Ledger,
  LogArchive,
  NonceStore,
  Random,
  RiskReader,
  VelocityStore,
} from '../ports.js';
import type { AuditLogService } from './audit-log.js';
import type { AppConfig } from './config.js';

export interface Ports {
  clock: Clock;
  random: Random;
  vault: KeyVault;
  agents: AgentStore;
  certificates: CertificateStore;
  apiKeys: ApiKeyStore;
  caStore: CaStore;
  nonces: NonceStore;
  velocity: VelocityStore;
  ledger: Ledger;
  checkpoints: CheckpointStore;
  archive: LogArchive;
  stream: ActionStream;
  events: EventPublisher;
  risk: RiskReader;
  /** Published CRLs; absent → kept in the process's memory (see CertificateAuthorityDeps.crls). */
  crls?: CrlStore;
}

export interface AppContext extends Ports {
  config: AppConfig;
  ca: CertificateAuthorityService;
  verifier: ActionVerifierService;
  /** Checkpoints, proofs and the full ledger check (docs/api.md §7). */
  auditLog: AuditLogService;
}

/**
 * Handlers take a provider so a Lambda builds its context once per container, lazily, outside the handler body. A
 * route group asks for the part of the context it uses (`Provider<Pick<AppContext, …>>`), so its Lambda can compose
 * just that part while local mode and tests pass the full context.
 */
export type Provider<C> = () => Promise<C>;
export type ContextProvider = Provider<AppContext>;
