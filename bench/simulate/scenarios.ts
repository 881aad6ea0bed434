/**
 * Injected attacks, each on its own agent after two clean weeks: the product guide's burst, a stolen certificate
 * used from somewhere else while the real agent keeps working, an exfiltration-like run (prompt injection), and a
 * gradual drift of amounts and/or pace.
 */
import { type CleanAgent, DAY, HOUR, type SimAction } from './clean-traffic.js';
import type { Random } from './random.js';

export const SCENARIOS = [
  'burst',
  'burst_ordinary_amounts',
  'stolen_certificate',
  'exfiltration',
  'drift',
  // The ordinary-amounts burst again, on an agent whose operator locked its hourly p95 (from its 7-day stats).
  'burst_ordinary_locked',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** Where to count detection from, and the actions to merge into the agent's clean traffic. */
export interface Injection {
  start: number;
  actions: SimAction[];
  /** Drift bends the clean traffic from `start` on instead of adding actions. */
  drift?: { amountGrowth: number; rateGrowth: number };
}

export function inject(scenario: Scenario, agent: CleanAgent, rnd: Random, start: number): Injection {
  const p = agent.profile;
  const mark = (a: SimAction): SimAction => ({ ...a, id: `atk-${a.id}`, attack: true });
  switch (scenario) {
    case 'burst':
    case 'burst_ordinary_amounts':
    case 'burst_ordinary_locked': {
      // 100 individually valid charges in 10 minutes: the guide's (a large amount, e.g. €9,900 where the agent's p99
      // is a fraction of it), or at the agent's ordinary amounts (rate alone).
      const large =
        scenario === 'burst' ? Math.round(Math.exp(p.amountMu + 2.33 * p.amountSigma) * rnd.uniform(1.5, 8)) : 0;
      const actions = Array.from({ length: 100 }, (_, k) =>
        mark(
          agent.action(start + k * 6_000 + rnd.uniform(0, 2_000), 1, large ? { action: 'charge', amount: large } : {}),
        ),
      );
      return { start, actions };
    }
    case 'stolen_certificate': {
      // The thief's requests come from elsewhere (another region 70 % of the time), with its own client most of the
      // time, doing ordinary-looking actions at a moderate pace, half the time paying its own counterparty.
      const region = rnd.chance(0.7) ? 'sa-east-1' : agent.origins[0]!.region;
      const origin = {
        ip: `198.51.${rnd.int(0, 255)}.${rnd.int(1, 254)}`,
        region,
        userAgent: rnd.chance(0.8) ? 'python-requests/2.31.0' : agent.origins[0]!.userAgent,
      };
      const payee = rnd.chance(0.5) ? `mule-${rnd.int(0, 1e6)}` : undefined;
      const actions = Array.from({ length: 20 }, (_, k) => {
        const a = agent.action(start + k * rnd.uniform(30_000, 120_000), 1, payee ? { counterparty: payee } : {});
        return mark({ ...a, origin });
      });
      actions.sort((a, b) => a.at - b.at);
      return { start, actions };
    }
    case 'exfiltration': {
      // A prompt-injected agent: reads many records and ships them out, to many distinct recipients, in minutes.
      const newVerbs = rnd.chance(0.5);
      const actions = Array.from({ length: 30 }, (_, k) => {
        const verb = newVerbs ? (k % 2 === 0 ? 'export_records' : 'send_email') : p.actions[k % p.actions.length]!;
        return mark(
          agent.action(start + k * rnd.uniform(5_000, 25_000), 1, {
            action: verb,
            counterparty: `recipient-${rnd.int(0, 1e9)}`,
            amount: undefined,
          }),
        );
      });
      actions.sort((a, b) => a.at - b.at);
      return { start, actions };
    }
    case 'drift': {
      // Amounts (and half the time the pace) creep up by a third or more per day.
      const amountGrowth = rnd.uniform(1.3, 1.6);
      const rateGrowth = rnd.chance(0.5) ? rnd.uniform(1.3, 1.6) : 1;
      return { start, actions: [], drift: { amountGrowth, rateGrowth } };
    }
  }
}

/** Scale factor of a drift `days` after it started (continuous in time). */
export function growth(rate: number, since: number): number {
  return rate ** Math.max(0, since / DAY);
}

export const DETECTION_EVENTS = 5;
export const DRIFT_DEADLINE_MS = 48 * HOUR;
