/**
 * Wires the core services over a runtime's ports. Local mode, the unit tests, the bootstrap function and
 * `awsContextProvider` call this, so every runtime runs the same CA and verifier with the same configuration rules.
 * (The route-group Lambdas compose only the services they use, from the same factories: functions/lambda/*.ts.)
 */
import { randomInt } from 'node:crypto';
import { createBehaviorEngine } from '../core/behavior/index.js';
import { WebhookDispatcher } from '../core/webhooks/webhook-dispatcher.js';
import { createCertificateAuthority } from './ca-factory.js';
import type { AppConfig } from './config.js';
import type { AppContext, MonitoringServices, Ports } from './context.js';
import { createVerifier } from './verifier-factory.js';

export { crlUrlFor } from './ca-factory.js';

export function assembleContext(ports: Ports, config: AppConfig): AppContext {
  return {
    ...ports,
    config,
    ca: createCertificateAuthority(ports, config),
    verifier: createVerifier(ports, config),
    monitoring: createMonitoringServices(ports, config),
  };
}

export function createMonitoringServices(
  ports: Pick<Ports, 'webhooks' | 'webhookTransport' | 'webhookScheduler' | 'clock'>,
  config: Pick<AppConfig, 'allowLoopbackWebhooks'>,
): MonitoringServices {
  return {
    engine: createBehaviorEngine(),
    dispatcher: new WebhookDispatcher({
      webhooks: ports.webhooks,
      transport: ports.webhookTransport,
      scheduler: ports.webhookScheduler,
      clock: ports.clock,
      // Jitter needs no secrecy, only spread; randomInt avoids Math.random's shared global state in tests.
      jitter: () => randomInt(0, 1_000_000) / 1_000_000,
    }),
    urlPolicy: { allowLoopbackHttp: config.allowLoopbackWebhooks === true },
  };
}
