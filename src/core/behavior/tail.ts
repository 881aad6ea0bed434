/**
 * Tail probabilities. Counts are scored with a negative binomial fitted by moments to the agent's own counts (it
 * allows the over-dispersion real, bursty agents have, where a Poisson would call every batch an anomaly); the CDF is
 * @stdlib's (regularised incomplete beta), so no numerical code of our own.
 */
import negativeBinomialCdf from '@stdlib/stats-base-dists-negative-binomial-cdf';

/**
 * P(X ≥ x) for X negative binomial with mean `mean` and variance `variance` (variance ≤ mean is raised just above
 * the mean, the Poisson limit). Returns 1 when x ≤ mean: only counts above the usual are surprising.
 */
export function negativeBinomialTail(x: number, mean: number, variance: number): number {
  if (!(x > mean) || x < 1) return 1;
  const m = Math.max(mean, 1e-3);
  const v = Math.max(variance, m * 1.05 + 1e-3);
  const p = m / v;
  const r = (m * m) / (v - m);
  const tail = 1 - negativeBinomialCdf(Math.floor(x) - 1, r, p);
  return Number.isFinite(tail) ? Math.min(1, Math.max(tail, 0)) : 1;
}

/**
 * P(X ≥ k) for X Poisson with mean `mean`, k a whole number: summed from k upwards while the terms fall (mean < k),
 * else as one minus the head. (A negative binomial with variance 1.05× a tiny mean is not Poisson-like: its shape
 * parameter goes to zero and its tail is orders of magnitude too heavy, which is what the scan statistic needs.)
 */
export function poissonTail(k: number, mean: number): number {
  if (k <= 0) return 1;
  if (!(mean > 0)) return 0;
  let term = Math.exp(-mean);
  for (let j = 1; j <= Math.min(k, 1_000); j += 1) term *= mean / j;
  if (mean < k) {
    let sum = 0;
    for (let j = k; j < k + 200 && term > sum * 1e-17; j += 1) {
      sum += term;
      term *= mean / (j + 1);
    }
    return Math.min(1, sum);
  }
  let head = 0;
  let t = Math.exp(-mean);
  for (let j = 0; j < k; j += 1) {
    head += t;
    t *= mean / (j + 1);
  }
  return Math.max(0, 1 - head);
}

/** Standard normal upper tail (Abramowitz–Stegun 7.1.26 erfc, |error| < 1.5e-7: ample for a p-value floor of 1e-6). */
export function normalTail(z: number): number {
  if (z < 0) return 1 - normalTail(-z);
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}

/**
 * Blends the agent's moments with the population prior's, weighting the prior as `priorEvents` observations; once
 * the agent has `warmup` events of its own the prior is dropped (its wide variance would otherwise linger).
 */
export function blendMoments(
  n: number,
  mean: number,
  variance: number,
  priorMean: number,
  priorVariance: number,
  priorEvents: number,
  warmup: number,
): [number, number] {
  if (n >= warmup) return [mean, variance];
  const w = n / (n + priorEvents);
  const m = w * mean + (1 - w) * priorMean;
  const second = w * (variance + mean * mean) + (1 - w) * (priorVariance + priorMean * priorMean);
  return [m, Math.max(second - m * m, 0)];
}

/** Exponentially weighted mean/variance update (West's form); `alpha` is the new observation's weight. */
export function updateMoments(mean: number, variance: number, x: number, alpha: number): [number, number] {
  const d = x - mean;
  const m = mean + alpha * d;
  return [m, (1 - alpha) * (variance + alpha * d * d)];
}
