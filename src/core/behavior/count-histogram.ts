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

/**
 * Records a count in the agent's tail at `weight`, but never above one bin over `ceiling` (the highest bin reached
 * so far), and the ceiling itself rises by at most one bin per day: a recurring pattern (a new nightly batch) stretches
 * the histogram's range within days, a burst cannot stretch it within itself. Without the bound, a hundred actions in
 * ten minutes taught the histogram their own counts at a tenth of their weight each, and the burst's later actions
 * looked less surprising than its first. Returns the new ceiling; `raised` reports whether today's step was used.
 */
export function recordBounded(
  hist: Float64Array,
  x: number,
  alpha: number,
  weight: number,
  ceiling: number,
  mayRaise: boolean,
): { ceiling: number; raised: boolean } {
  const bin = countBin(x);
  let top = ceiling;
  let raised = false;
  if (bin > top && mayRaise) {
    top += 1;
    raised = true;
  }
  recordCount(hist, COUNT_EDGES[Math.min(bin, top)]!, alpha, weight);
  return { ceiling: top, raised };
}

/** The highest bin holding at least `min` (decayed) mass, or 0: the ceiling of a state stored before it existed. */
export function highestBin(hist: Float64Array, min = 0.5): number {
  let top = 0;
  for (let b = 0; b < hist.length; b += 1) if (hist[b]! >= min) top = b;
  return top;
}
