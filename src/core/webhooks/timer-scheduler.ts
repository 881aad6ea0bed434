/**
 * Local mode's DeliveryScheduler: in-process timers (unref'd, so they never keep the process alive). Deployed, the
 * scheduler is SQS with a message delay. On `stop` every delivery still waiting for its turn becomes a dead letter,
 * so a restart of `kakunin dev` loses none silently (replay them with `POST /v1/webhooks/{id}/replay`).
 */
import type { DeliveryJob, DeliveryScheduler } from './webhook-dispatcher.js';

export class TimerDeliveryScheduler implements DeliveryScheduler {
  private readonly pending = new Map<NodeJS.Timeout, DeliveryJob>();
  private running = new Set<Promise<void>>();
  private stopped = false;

  /** `run` delivers one job; `park` keeps one that can no longer run (shutdown). */
  constructor(
    private readonly run: (job: DeliveryJob) => Promise<void>,
    private readonly park: (job: DeliveryJob, reason: string) => Promise<void>,
  ) {}

  async schedule(job: DeliveryJob, delayMs: number): Promise<void> {
    if (this.stopped) return this.park(job, 'service stopped before delivery');
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      const task = this.run(job).catch(() => this.park(job, 'delivery failed unexpectedly'));
      this.running.add(task);
      void task.finally(() => this.running.delete(task));
    }, delayMs);
    timer.unref();
    this.pending.set(timer, job);
  }

  /** Waits for deliveries in flight, then parks every delivery still waiting. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.running]);
    const waiting = [...this.pending.entries()];
    this.pending.clear();
    for (const [timer, job] of waiting) {
      clearTimeout(timer);
      await this.park(job, 'service stopped before the next retry').catch(() => undefined);
    }
  }

  /** Deliveries waiting or in flight (tests wait for it to reach 0). */
  get size(): number {
    return this.pending.size + this.running.size;
  }
}
