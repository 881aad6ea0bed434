/**
 * The behavioural pipeline's stateless services over a runtime's ports: the engine, the webhook dispatcher and the
 * URL policy. Apart from src/app/monitoring.ts (the consumer, which revokes through the CA) so the monitoring routes'
 * function bundles neither the CA nor x509.
 */
import { randomInt } from 'node:crypto';
import { createBehaviorEngine } from '../core/behavior/index.js';
import { WebhookDispatcher } from '../core/webhooks/webhook-dispatcher.js';
import type { AppConfig } from './config.js';
import type { MonitoringServices, Ports } from './context.js';

/** The engine, the webhook dispatcher and the URL policy over a runtime's ports (every runtime, the same way). */
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
