/**
 * `npm run simulate [-- --seed 2 --agents 300 --per-scenario 100]`: the seeded attack simulator of issue 11. Clean
 * agents give the false-warning and false-revocation rates per agent-day; injected scenarios give detection rates and
 * events-to-detection. Deterministic for a seed. Prints a Markdown table (docs/behavior.md) and a JSON summary line.
 */
import { parseArgs } from 'node:util';
import { createBehaviorEngine, type LockedBaseline } from '../../src/core/behavior/index.js';
import { CleanAgent, DAY, drawProfile, EPOCH, type SimAction } from './clean-traffic.js';
import { Random } from './random.js';
import { DETECTION_EVENTS, DRIFT_DEADLINE_MS, growth, inject, SCENARIOS, type Scenario } from './scenarios.js';

const SETTINGS = { mode: 'enforce' as const, warningThreshold: 0.75, anomalyThreshold: 0.85 };
const WARMUP_DAYS = 7;
const TRAINING_DAYS = 14;

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    agents: { type: 'string', default: '300' },
    'per-scenario': { type: 'string', default: '100' },
    days: { type: 'string', default: '28' },
  },
});
const seed = Number(values.seed);
const cleanAgents = Number(values.agents);
const perScenario = Number(values['per-scenario']);
const days = Number(values.days);
const engine = createBehaviorEngine();
const started = performance.now();
let events = 0;

function apply(state: unknown, a: SimAction, baseline?: LockedBaseline) {
  events += 1;
  return engine.apply(state, a, SETTINGS, baseline);
}

/** The operator's lock: the agent's hourly p95 over the last 7 days (docs/behavior.md, `rate_locked_p95`). */
function lockRate(state: unknown, now: number): LockedBaseline {
  return { transactions_per_hour: { p95: engine.stats(state, '7d', now).frequency.per_hour.p95 } };
}

// Clean agents: every agent-day after the first week is a "clean agent-day".
const clean = { days: 0, warned: 0, revoked: 0, warmupDays: 0, warmupWarned: 0, warmupRevoked: 0, maxBytes: 0 };
// The same clean agents from day 15 on with their hourly p95 locked at day 14: the cost of the lock.
const lockedClean = { days: 0, warned: 0, revoked: 0 };
for (let i = 0; i < cleanAgents; i += 1) {
  const rnd = new Random(seed * 1_000_003 + i);
  const agent = new CleanAgent(drawProfile(rnd, i), rnd);
  const state = engine.create(agent.profile.id, EPOCH);
  let locked: { state: unknown; baseline: LockedBaseline } | undefined;
  for (let d = 0; d < days; d += 1) {
    if (d === TRAINING_DAYS) {
      locked = { state: engine.decode(engine.encode(state)), baseline: lockRate(state, EPOCH + d * DAY) };
    }
    let warned = false;
    let revoked = false;
    let lockedWarned = false;
    let lockedRevoked = false;
    for (const a of agent.day(d)) {
      const r = apply(state, a);
      warned ||= r.assessment.score >= SETTINGS.warningThreshold;
      revoked ||= r.revoke;
      if (!locked) continue;
      const l = apply(locked.state, a, locked.baseline);
      lockedWarned ||= l.assessment.score >= SETTINGS.warningThreshold;
      lockedRevoked ||= l.revoke;
    }
    if (locked) {
      lockedClean.days += 1;
      lockedClean.warned += Number(lockedWarned);
      lockedClean.revoked += Number(lockedRevoked);
    }
    if (d < WARMUP_DAYS) {
      clean.warmupDays += 1;
      clean.warmupWarned += Number(warned);
      clean.warmupRevoked += Number(revoked);
    } else {
      clean.days += 1;
      clean.warned += Number(warned);
      clean.revoked += Number(revoked);
    }
  }
  clean.maxBytes = Math.max(clean.maxBytes, engine.encode(state).length);
}

interface Outcome {
  detected: boolean;
  eventsToDetect?: number;
  hoursToDetect?: number;
  revoked: boolean;
}

const outcomes = new Map<Scenario, Outcome[]>();
SCENARIOS.forEach((scenario, s) => {
  const list: Outcome[] = [];
  for (let i = 0; i < perScenario; i += 1) {
    const index = 100_000 * (s + 1) + i;
    const rnd = new Random(seed * 1_000_003 + index);
    const agent = new CleanAgent(drawProfile(rnd, index), rnd);
    const state = engine.create(agent.profile.id, EPOCH);
    for (let d = 0; d < TRAINING_DAYS; d += 1) for (const a of agent.day(d)) apply(state, a);
    const attackDay = TRAINING_DAYS + rnd.int(0, 4);
    for (let d = TRAINING_DAYS; d < attackDay; d += 1) for (const a of agent.day(d)) apply(state, a);
    const start = EPOCH + attackDay * DAY + (scenario === 'drift' ? 0 : rnd.uniform(0, DAY));
    const baseline = scenario === 'burst_ordinary_locked' ? lockRate(state, EPOCH + attackDay * DAY) : undefined;
    const injection = inject(scenario, agent, rnd, start);
    const outcome: Outcome = { detected: false, revoked: false };
    let attackEvents = 0;
    for (let d = attackDay; d < attackDay + 3; d += 1) {
      const mid = EPOCH + d * DAY + DAY / 2;
      const drift = injection.drift;
      const traffic = drift
        ? agent.day(d, growth(drift.rateGrowth, mid - start), growth(drift.amountGrowth, mid - start))
        : agent.day(d);
      const dayEnd = EPOCH + (d + 1) * DAY;
      const merged = [...traffic, ...injection.actions.filter((a) => a.at >= dayEnd - DAY && a.at < dayEnd)];
      merged.sort((a, b) => a.at - b.at);
      for (const a of merged) {
        const r = apply(state, a, baseline);
        const counts = drift ? a.at >= start : a.attack;
        if (!counts) continue;
        attackEvents += 1;
        if (outcome.eventsToDetect === undefined && r.assessment.score >= SETTINGS.warningThreshold) {
          outcome.eventsToDetect = attackEvents;
          outcome.hoursToDetect = (a.at - start) / 3_600_000;
          outcome.detected =
            scenario === 'drift'
              ? a.at - start <= DRIFT_DEADLINE_MS
              : scenario === 'exfiltration' || scenario.startsWith('burst_ordinary')
                ? true
                : attackEvents <= DETECTION_EVENTS;
        }
        outcome.revoked ||= r.revoke;
      }
    }
    list.push(outcome);
  }
  outcomes.set(scenario, list);
});

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(2)} %`);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)]! : Number.NaN;
};
const lines = [
  `Seed ${seed}: ${cleanAgents} clean agents × ${days} days, ${perScenario} agents per scenario; ${events} actions scored in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  '',
  '| scenario | target | detected (per target) | median events (hours) to warning | auto-revoked (enforce) |',
  '|---|---|---|---|---|',
];
const summary: Record<string, unknown> = { seed, events };
for (const scenario of SCENARIOS) {
  const list = outcomes.get(scenario)!;
  const found = list.filter((o) => o.detected);
  const target =
    scenario === 'drift'
      ? '≥ 80 % within 48 h'
      : scenario === 'exfiltration'
        ? '≥ 90 %'
        : scenario.startsWith('burst_ordinary')
          ? '(reported: any of 100 events)'
          : '≥ 95 % within 5 events';
  const measure =
    scenario === 'drift'
      ? `${median(found.map((o) => o.hoursToDetect!)).toFixed(1)} h`
      : `${median(list.filter((o) => o.eventsToDetect !== undefined).map((o) => o.eventsToDetect!))}`;
  const revoked = list.filter((o) => o.revoked).length;
  lines.push(
    `| ${scenario} | ${target} | ${pct(found.length, list.length)} | ${measure} | ${pct(revoked, list.length)} |`,
  );
  summary[scenario] = { detected: found.length / list.length, revoked: revoked / list.length };
}
lines.push(
  '',
  '| clean traffic | target | measured |',
  '|---|---|---|',
  `| agent-days reaching warning (after week 1) | ≤ 0.5 % | ${pct(clean.warned, clean.days)} (${clean.warned}/${clean.days}) |`,
  `| agent-days auto-revoked (after week 1) | ≤ 0.05 % | ${pct(clean.revoked, clean.days)} (${clean.revoked}/${clean.days}) |`,
  `| with the hourly p95 locked at day 14: agent-days reaching warning / auto-revoked | (reported) | ${pct(lockedClean.warned, lockedClean.days)} / ${pct(lockedClean.revoked, lockedClean.days)} |`,
  `| warm-up week: warning / revoked | (reported) | ${pct(clean.warmupWarned, clean.warmupDays)} / ${pct(clean.warmupRevoked, clean.warmupDays)} |`,
  `| largest encoded state after ${days} days | ≤ 4 KiB target | ${clean.maxBytes} bytes |`,
);
Object.assign(summary, { clean, lockedClean });
process.stdout.write(`${lines.join('\n')}\n\n${JSON.stringify(summary)}\n`);
