/**
 * Realistic clean traffic for one simulated agent: daily and weekly cycles, a workflow (Markov chain over a few
 * actions), log-normal amounts, Zipf counterparties with a new one now and then, benign batches (the agent's nightly
 * payout run, sometimes an ad-hoc one), and origins that occasionally change for good reasons (a redeploy, an SDK
 * upgrade) or legitimately span two regions.
 */
import type { BehaviorAction } from '../../src/core/behavior/index.js';
import type { Random } from './random.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const EPOCH = Date.UTC(2026, 0, 5); // a Monday

const ACTIONS = ['charge', 'refund', 'lookup_customer', 'create_invoice', 'capture', 'send_receipt', 'update_order'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-1'];

export interface Origin {
  ip: string;
  region: string;
  userAgent: string;
}

export interface AgentProfile {
  id: string;
  certificate: string;
  ratePerHour: number;
  startHour: number;
  activeHours: number;
  nightFactor: number;
  weekendFactor: number;
  alwaysOn: boolean;
  amountMu: number;
  amountSigma: number;
  counterparties: string[];
  newCounterpartyChance: number;
  actions: string[];
  workflow: number[][];
  batchHour: number;
  batchChance: number;
  adHocBatchChance: number;
  origins: Origin[];
  originChangePerDay: number;
}

export interface SimAction extends BehaviorAction {
  attack: boolean;
}

export function drawProfile(rnd: Random, index: number): AgentProfile {
  const actions = ACTIONS.slice(0, rnd.int(2, 6));
  const multiRegion = rnd.chance(0.1);
  const region = rnd.pick(REGIONS);
  const origins = [home(rnd, region)];
  if (multiRegion) origins.push(home(rnd, rnd.pick(REGIONS.filter((r) => r !== region))));
  return {
    id: `a_sim${String(index).padStart(13, '0')}`,
    certificate: `sha256:${index.toString(16).padStart(64, '0')}`,
    ratePerHour: rnd.logUniform(2, 40),
    startHour: rnd.int(5, 10),
    activeHours: rnd.int(8, 13),
    nightFactor: rnd.uniform(0.02, 0.12),
    weekendFactor: rnd.uniform(0.15, 1),
    alwaysOn: rnd.chance(0.2),
    amountMu: Math.log(rnd.logUniform(15, 2_000)),
    amountSigma: rnd.uniform(0.3, 1),
    counterparties: Array.from({ length: rnd.int(3, 30) }, (_, k) => `cp-${index}-${k}`),
    newCounterpartyChance: rnd.uniform(0.002, 0.02),
    actions,
    workflow: actions.map(() => rnd.weights(actions.length)),
    batchHour: rnd.int(0, 23),
    batchChance: rnd.chance(0.4) ? rnd.uniform(0.5, 1) : 0,
    adHocBatchChance: rnd.uniform(0, 0.08),
    origins,
    originChangePerDay: 1 / 45,
  };
}

function home(rnd: Random, region: string): Origin {
  return { ip: `10.${rnd.int(0, 255)}.${rnd.int(0, 255)}.${rnd.int(1, 254)}`, region, userAgent: 'kakunin-sdk/1.4.0' };
}

/** Actions per hour at `t` before randomness. */
export function hourlyRate(p: AgentProfile, t: number): number {
  const hour = new Date(t).getUTCHours();
  const weekday = new Date(t).getUTCDay();
  const inActive = (hour - p.startHour + 24) % 24 < p.activeHours;
  const daily = p.alwaysOn ? 0.6 + 0.4 * Math.cos(((hour - 14) / 24) * 2 * Math.PI) : inActive ? 1 : p.nightFactor;
  const weekly = weekday === 0 || weekday === 6 ? p.weekendFactor : 1;
  return p.ratePerHour * daily * weekly;
}

export class CleanAgent {
  private prev = 0;
  private seq = 0;
  private newCounterparties = 0;
  readonly origins: Origin[];

  constructor(
    readonly profile: AgentProfile,
    private readonly rnd: Random,
  ) {
    this.origins = profile.origins.map((o) => ({ ...o }));
  }

  /** One day of clean traffic (time-ordered); `amountScale`/`rateScale` let the drift scenario bend it. */
  day(dayIndex: number, rateScale = 1, amountScale = 1): SimAction[] {
    const p = this.profile;
    const rnd = this.rnd;
    const start = EPOCH + dayIndex * DAY;
    if (rnd.chance(p.originChangePerDay)) this.redeploy();
    const times: number[] = [];
    for (let h = 0; h < 24; h += 1) {
      const t0 = start + h * HOUR;
      const n = rnd.poisson(hourlyRate(p, t0) * rateScale);
      for (let k = 0; k < n; k += 1) times.push(t0 + rnd.next() * HOUR);
    }
    const batches: number[] = [];
    if (rnd.chance(p.batchChance)) batches.push(start + p.batchHour * HOUR + rnd.uniform(-0.5, 0.5) * HOUR);
    if (rnd.chance(p.adHocBatchChance)) batches.push(start + rnd.next() * DAY);
    for (const b of batches) {
      const size = rnd.int(10, 40);
      const span = rnd.uniform(2, 6) * 60_000;
      for (let k = 0; k < size; k += 1) times.push(b + (k / size) * span + rnd.next() * 1_000);
    }
    times.sort((a, b) => a - b);
    return times.map((t) => this.action(Math.round(t), amountScale));
  }

  action(t: number, amountScale = 1, overrides: Partial<SimAction['payload']> = {}): SimAction {
    const p = this.profile;
    const rnd = this.rnd;
    this.prev = rnd.choose(p.workflow[this.prev]!);
    const counterparty = rnd.chance(p.newCounterpartyChance)
      ? `new-${p.id}-${this.newCounterparties++}`
      : p.counterparties[rnd.zipf(p.counterparties.length)]!;
    const amount = Math.round(Math.exp(p.amountMu + p.amountSigma * rnd.normal()) * amountScale * 100) / 100;
    return {
      id: `${p.id}-${this.seq++}`,
      agentId: p.id,
      certificateFingerprint: p.certificate,
      at: t,
      payload: { action: p.actions[this.prev]!, amount, currency: 'EUR', counterparty, ...overrides },
      origin: rnd.pick(this.origins),
      attack: false,
    };
  }

  /** A redeploy: a new address in the same region; now and then an SDK upgrade changes the user agent too. */
  private redeploy(): void {
    const rnd = this.rnd;
    const i = rnd.int(0, this.origins.length - 1);
    const o = this.origins[i]!;
    const userAgent = rnd.chance(0.2) ? `kakunin-sdk/1.${rnd.int(5, 9)}.0` : o.userAgent;
    this.origins[i] = { ...home(rnd, o.region), userAgent };
  }
}
