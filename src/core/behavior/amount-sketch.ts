/**
 * Amount quantiles in DDSketch (@datadog/sketches-js): relative-error quantiles in a bounded number of bins, and the
 * protobuf form DDSketch defines for storage. Two sketches rotate (current and previous span), so the reference
 * follows the agent's recent amounts instead of its whole life, and a quantile is read from their merge.
 */
import { DDSketch, LogCollapsingLowestDenseDDSketch } from '@datadog/sketches-js';

export type Sketch = LogCollapsingLowestDenseDDSketch;

export function newSketch(accuracy: number, bins: number): Sketch {
  return new LogCollapsingLowestDenseDDSketch({ relativeAccuracy: accuracy, binLimit: bins });
}

/** Number of recorded amounts ≥ `value` (within the sketch's relative accuracy). */
export function countAtOrAbove(sketch: Sketch, value: number): number {
  if (sketch.count === 0) return 0;
  if (value <= sketch.mapping.minPossible) return sketch.count - sketch.negativeStore.count;
  const store = sketch.store;
  const key = sketch.mapping.key(value);
  let total = 0;
  for (let i = Math.max(0, key - store.offset); i < store.bins.length; i += 1) total += store.bins[i] ?? 0;
  return total;
}

/** Quantile of the merge of several sketches (same mapping); null when they are empty. */
export function mergedQuantile(sketches: Sketch[], q: number, accuracy: number, bins: number): number | null {
  const live = sketches.filter((s) => s.count > 0);
  if (live.length === 0) return null;
  if (live.length === 1) return live[0]!.getValueAtQuantile(q);
  const merged = newSketch(accuracy, bins);
  for (const s of live) merged.merge(s);
  return merged.getValueAtQuantile(q);
}

/** DDSketch protobuf bytes, with only the occupied bins (the library writes its whole chunked array). */
export function sketchToBytes(sketch: Sketch): Uint8Array {
  const store = sketch.store;
  const { bins, offset } = store;
  if (store.count > 0) {
    store.bins = bins.slice(store.minKey - offset, store.maxKey - offset + 1);
    store.offset = store.minKey;
  } else {
    store.bins = [];
  }
  try {
    return sketch.toProto();
  } finally {
    store.bins = bins;
    store.offset = offset;
  }
}

/** Parses DDSketch protobuf bytes written by `sketchToBytes` with the same accuracy; throws on anything else. */
export function sketchFromBytes(bytes: Uint8Array, accuracy: number, bins: number): Sketch {
  const decoded = DDSketch.fromProto(bytes);
  const sketch = newSketch(accuracy, bins);
  if (!sketch.mergeable(decoded)) throw new RangeError('behaviour state: sketch with a foreign mapping');
  const counts = decoded.store.bins;
  const span = decoded.store.count > 0 ? decoded.store.maxKey - decoded.store.minKey + 1 : 0;
  if (span > bins || decoded.negativeStore.count !== 0) {
    throw new RangeError('behaviour state: sketch out of bounds');
  }
  for (const c of counts)
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError('behaviour state: bad sketch count');
  if (!(decoded.zeroCount >= 0)) throw new RangeError('behaviour state: bad sketch count');
  sketch.merge(decoded);
  return sketch;
}
