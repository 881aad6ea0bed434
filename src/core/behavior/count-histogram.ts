/**
 * A small decayed histogram of counts on log-spaced bins: the agent's own empirical distribution of "how many other
 * actions in the horizon" (or "how many distinct counterparties in the span"). A negative binomial fitted by moments
 * underestimates the tail of a mixture (quiet hours plus the agent's regular batches); taking the larger of the two
 * tails means a count is only surprising if it is surprising both under the model and against what the agent did.
 */
export const COUNT_EDGES = [0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];
export const COUNT_BINS = COUNT_EDGES.length; // the last bin is [256, ∞)

export function countBin(x: number): number {
  let b = 0;
  while (b + 1 < COUNT_BINS && x >= COUNT_EDGES[b + 1]!) b += 1;
  return b;
}

/** Records `x` with `weight` after decaying the histogram by (1 − alpha·weight). */
export function recordCount(hist: Float64Array, x: number, alpha: number, weight = 1): void {
  const keep = 1 - alpha * weight;
  for (let b = 0; b < hist.length; b += 1) hist[b] = hist[b]! * keep;
  const bin = countBin(x);
  hist[bin] = hist[bin]! + weight;
}

/**
 * P(X ≥ x) from the histogram, conservatively (the whole bin holding x counts), with add-one smoothing; beyond the
 * largest count ever seen, a Pareto tail of index 2 continues it.
 */
export function empiricalTail(hist: Float64Array, x: number): number {
  let total = 0;
  let above = 0;
  let top = -1;
  const bin = countBin(x);
  for (let b = 0; b < hist.length; b += 1) {
    const h = hist[b]!;
    total += h;
    if (b >= bin) above += h;
    if (h >= 0.5) top = b; // a fraction of an observation (tail-weighted) does not extend the range
  }
  let p = (above + 1) / (total + 1);
  if (top >= 0 && bin > top) {
    const highest = COUNT_EDGES[top + 1] ?? COUNT_EDGES[COUNT_BINS - 1]! * 2;
    p *= Math.min(1, (highest / Math.max(x, 1)) ** 2);
  }
  return Math.min(1, p);
}
