/**
 * Webhook delivery (docs/api.md §5): fan-out of an event to the tenant's matching subscriptions, one signed POST per
 * attempt, retries on the backoff schedule, then a dead letter; and replay of dead letters. Runtime-neutral: the
 * transport (HTTP with the address check at connect time) and the scheduler (SQS with a delay when deployed, timers
 * locally) are injected.
 *
 * Signing follows Standard Webhooks through the `standardwebhooks` package: `webhook-id` is the event id (the same on
 * every retry and replay, so a receiver deduplicates), `webhook-timestamp` the attempt's time in seconds, and
 * `webhook-signature` `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`. The secret never leaves this module's calls:
 * nothing here logs it, and errors name the webhook id only.
 */
import { Webhook } from 'standardwebhooks';
import type { Clock, WebhookStore } from '../../ports.js';
import type { KakuninEvent, WebhookSubscription } from '../model.js';
import { MAX_ATTEMPTS, retryDelayMs } from './delivery-schedule.js';

export interface DeliveryJob {
  tenantId: string;
  webhookId: string;
  event: KakuninEvent;
  /** 1 for the first attempt. */
  attempt: number;
  firstAttemptAt: number;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends one request; resolves with the status, or rejects when no response came (refused address, timeout…). */
export interface WebhookTransport {
  post(request: WebhookRequest): Promise<{ status: number }>;
}

/** Runs `deliver(job)` again after `delayMs` (durably when deployed: an SQS message with a delay). */
export interface DeliveryScheduler {
  schedule(job: DeliveryJob, delayMs: number): Promise<void>;
}

/**
 * One replay call tries at most this many dead letters (docs/api.md §5: the answer's `remaining` says what is left),
 * and starts no attempt once `REPLAY_BUDGET_MS` have passed: a webhook with thousands of dead letters and a receiver
 * that never answers would otherwise hold the request for hours, long after API Gateway answered 504 (29 s), and its
 * `webhook.replayed` audit entry would never be written.
 */
export const REPLAY_BATCH = 25;
/** With the transport's 10 s deadline on the attempt in flight, a replay call ends within ~25 s. */
export const REPLAY_BUDGET_MS = 15_000;

export interface WebhookDispatcherDeps {
  webhooks: WebhookStore;
  transport: WebhookTransport;
  scheduler: DeliveryScheduler;
  clock: Clock;
  /** Uniform in [0, 1): the retry jitter. */
  jitter: () => number;
  /** Told about each failed attempt (ids, attempt and a short reason: never the secret, the body or the URL). */
  onAttemptFailed?: (failure: { webhookId: string; eventId: string; attempt: number; reason: string }) => void;
  onDeadLetter?: (letter: { webhookId: string; eventId: string; attempts: number }) => void;
}

/** The body receivers get: the docs/api.md §5 event, without the routing-only `tenantId`. */
export function webhookBody(event: KakuninEvent): string {
  return JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, data: event.data });
}

/** The three Standard Webhooks headers for one attempt. */
export function signDelivery(secret: string, eventId: string, body: string, at: number): Record<string, string> {
  const timestamp = new Date(at);
  return {
    'content-type': 'application/json',
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, timestamp, body),
  };
}

export class WebhookDispatcher {
  constructor(private readonly deps: WebhookDispatcherDeps) {}

  /** Queues the event for every subscription of its tenant that wants its type (empty list: every type). */
  async dispatch(event: KakuninEvent): Promise<number> {
    const subscriptions = await this.deps.webhooks.list(event.tenantId);
    const matching = subscriptions.filter((s) => s.eventTypes.length === 0 || s.eventTypes.includes(event.type));
    const now = this.deps.clock.now();
    for (const subscription of matching) {
      await this.deps.scheduler.schedule(
        { tenantId: event.tenantId, webhookId: subscription.id, event, attempt: 1, firstAttemptAt: now },
        0,
      );
    }
    return matching.length;
  }

  /** One attempt; on failure the next one is scheduled, or the delivery becomes a dead letter. */
  async deliver(job: DeliveryJob): Promise<'delivered' | 'retrying' | 'dead_letter' | 'unsubscribed'> {
    const subscription = await this.deps.webhooks.get(job.tenantId, job.webhookId);
    if (subscription === undefined) return 'unsubscribed';
    const reason = await this.attempt(subscription, job.event);
    if (reason === undefined) return 'delivered';
    this.deps.onAttemptFailed?.({ webhookId: job.webhookId, eventId: job.event.id, attempt: job.attempt, reason });
    const delay = job.attempt < MAX_ATTEMPTS ? retryDelayMs(job.attempt, this.deps.jitter()) : undefined;
    if (delay !== undefined) {
      await this.deps.scheduler.schedule({ ...job, attempt: job.attempt + 1 }, delay);
      return 'retrying';
    }
    await this.deadLetter(job, reason);
    return 'dead_letter';
  }

  /** Parks a delivery as a dead letter (also for a runtime that shuts down with deliveries pending). */
  async deadLetter(job: DeliveryJob, reason: string): Promise<void> {
    await this.deps.webhooks.putDeadLetter({
      tenantId: job.tenantId,
      webhookId: job.webhookId,
      eventId: job.event.id,
      event: job.event,
      attempts: job.attempt,
      firstAttemptAt: job.firstAttemptAt,
      lastAttemptAt: this.deps.clock.now(),
      lastError: reason,
    });
    this.deps.onDeadLetter?.({ webhookId: job.webhookId, eventId: job.event.id, attempts: job.attempt });
  }

  /**
   * Tries the dead letters of one webhook once more, at most `REPLAY_BATCH` of them and within `REPLAY_BUDGET_MS`;
   * delivered ones are removed, the rest stay (call again for the others).
   */
  async replay(tenantId: string, webhookId: string): Promise<{ delivered: number; failed: number }> {
    const subscription = await this.deps.webhooks.get(tenantId, webhookId);
    if (subscription === undefined) return { delivered: 0, failed: 0 };
    let delivered = 0;
    let failed = 0;
    const started = this.deps.clock.now();
    for (const letter of await this.deps.webhooks.listDeadLetters(tenantId, webhookId)) {
      if (delivered + failed >= REPLAY_BATCH || this.deps.clock.now() - started >= REPLAY_BUDGET_MS) break;
      const reason = await this.attempt(subscription, letter.event);
      if (reason === undefined) {
        await this.deps.webhooks.deleteDeadLetter(tenantId, webhookId, letter.eventId);
        delivered += 1;
      } else {
        await this.deps.webhooks.putDeadLetter({
          ...letter,
          attempts: letter.attempts + 1,
          lastAttemptAt: this.deps.clock.now(),
          lastError: reason,
        });
        failed += 1;
      }
    }
    return { delivered, failed };
  }

  /** Undefined on a 2xx answer; otherwise a short reason. */
  private async attempt(subscription: WebhookSubscription, event: KakuninEvent): Promise<string | undefined> {
    const body = webhookBody(event);
    const headers = signDelivery(subscription.secret, event.id, body, this.deps.clock.now());
    try {
      const { status } = await this.deps.transport.post({ url: subscription.url, headers, body });
      return status >= 200 && status < 300 ? undefined : `HTTP ${status}`;
    } catch (error) {
      return error instanceof Error ? error.message.slice(0, 200) : 'request failed';
    }
  }
}
