/**
 * Binary form of the per-agent state for its storage item: magic "KKB", a version byte, the fields, and a 32-bit
 * checksum. Every collection is written with its length and read back against the same bound it has in memory, so
 * anything this code did not write (or a truncated or altered item) is refused with a RangeError: fail closed.
 */
import { sketchFromBytes, sketchToBytes } from './amount-sketch.js';
import { ByteReader, ByteWriter } from './codec.js';
import { COUNT_BINS, highestBin } from './count-histogram.js';
import { hash32 } from './hash.js';
import { type BehaviorParams, SIGNALS } from './params.js';
import { type AgentState, createState, DAY_SLOTS, type DriftTrack, HOURLY_SLOTS, RECENT_SLOTS } from './state.js';

const MAGIC = [0x4b, 0x4b, 0x42]; // "KKB", then the version byte
/** v2 appended the rate histograms' ceilings and the pending tail amount; v1 items are read with them derived. */
const VERSION = 2;
const TEXT_BYTES = 256;

export function encodeState(state: AgentState, params: BehaviorParams): Uint8Array {
  const w = new ByteWriter();
  for (const b of MAGIC) w.uint(b);
  w.uint(VERSION);
  w.string(state.agentId);
  w.f64(state.createdAt);
  w.f64(state.clock);
  w.uint(state.events);
  w.uint(state.trained);
  for (const arr of [state.rateCount, state.rateMean, state.rateVar]) for (const v of arr) w.f32(v);
  writeSparse(w, state.rateHist);
  writeSparse(w, state.spreadHist);
  for (const v of state.hits) w.f32(v);
  for (const v of state.profile) w.f32(v);
  writeHourly(w, state);
  w.uint(state.days.length);
  for (const d of state.days) {
    w.uint(d.day);
    w.uint(d.count);
    w.uint(d.amounts);
    writeExact(w, d.volume);
    writeExact(w, d.maxAmount);
  }
  w.f64(state.sketchStart);
  for (const s of state.sketches) w.bytes(sketchToBytes(s));
  w.uint(state.counterparties.size);
  for (const [name, e] of state.counterparties) {
    w.string(name);
    w.uint(e.count);
    w.uint(state.clock - e.last);
  }
  w.f32(state.novelCounterpartyRate);
  w.uint(state.actions.length);
  for (const a of state.actions) w.string(a);
  const nonZero = [...state.transitions.keys()].filter((i) => state.transitions[i]! > 0);
  w.uint(nonZero.length);
  for (const i of nonZero) {
    w.uint(i);
    w.f32(state.transitions[i]!);
  }
  w.uint(state.prevAction + 1);
  w.f64(state.prevActionAt);
  w.f32(state.sequenceCusum);
  w.uint(state.origins.length);
  for (const o of state.origins) {
    w.uint(o.cert);
    w.string(o.prefix);
    w.uint(o.ua);
    w.string(o.region);
    w.uint(o.count);
    w.uint(state.clock - o.first);
    w.uint(state.clock - o.last);
  }
  w.f32(state.novelOriginRate);
  w.uint(state.idsHead);
  for (const id of state.ids) w.uint(id + 1);
  const live = [...state.recentAt.keys()].filter(
    (i) => state.recentCp[i]! >= 0 && state.recentAt[i]! >= state.clock - params.spreadWindowMs,
  );
  w.uint(live.length);
  for (const i of live) {
    w.uint(state.recentCp[i]!);
    w.f64(state.recentAt[i]!);
  }
  w.f32(state.spreadMean);
  w.f32(state.spreadVar);
  w.uint(state.driftDay + 1);
  w.uint(state.driftCount);
  w.f64(state.driftLogAmount);
  w.f64(state.driftLogAmountSquares);
  w.uint(state.driftAmounts);
  for (const t of state.driftTracks) for (const v of [t.mean, t.variance, t.cum, t.last]) w.f32(v);
  for (const t of state.driftTracks) w.uint(t.days);
  w.uint(state.evidence.size);
  for (const [signal, e] of state.evidence) {
    w.uint(SIGNALS.indexOf(signal));
    w.f32(e.s);
    w.f64(e.at);
    writeValue(w, e.observed);
    writeValue(w, e.baseline);
  }
  w.f64(state.episodeStart);
  w.f64(state.lastScore);
  w.f32(state.dailyActions);
  for (let h = 0; h < 3; h += 1) {
    w.uint(state.rateCeiling[h]!);
    w.uint(state.rateCeilingDay[h]!);
  }
  w.f64(state.pendingAmount);
  const body = w.finish();
  const out = new Uint8Array(body.length + 4);
  out.set(body);
  new DataView(out.buffer).setUint32(body.length, checksum(body), true);
  return out;
}

export function decodeState(bytes: Uint8Array, params: BehaviorParams): AgentState {
  if (!(bytes instanceof Uint8Array) || bytes.length < 8) throw new RangeError('behaviour state: not a state item');
  const body = bytes.subarray(0, bytes.length - 4);
  const stored = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(body.length, true);
  if (stored !== checksum(body)) throw new RangeError('behaviour state: checksum mismatch');
  const r = new ByteReader(body);
  for (const b of MAGIC) if (r.uint(255) !== b) throw new RangeError('behaviour state: unknown format');
  const version = r.uint(255);
  if (version !== 1 && version !== VERSION) throw new RangeError('behaviour state: unknown format');
  const agentId = r.string(TEXT_BYTES);
  const createdAt = r.f64();
  const state = createState(agentId, createdAt, params);
  state.clock = r.f64();
  state.events = r.uint();
  state.trained = r.uint();
  for (const arr of [state.rateCount, state.rateMean, state.rateVar]) for (let i = 0; i < 3; i += 1) arr[i] = r.f32();
  readSparse(r, state.rateHist);
  readSparse(r, state.spreadHist);
  for (let i = 0; i < state.hits.length; i += 1) state.hits[i] = r.f32();
  for (let h = 0; h < 24; h += 1) state.profile[h] = r.f32();
  readHourly(r, state);
  const days = r.uint(DAY_SLOTS);
  for (let i = 0; i < days; i += 1) {
    state.days.push({
      day: r.uint(),
      count: r.uint(),
      amounts: r.uint(),
      volume: readExact(r),
      maxAmount: readExact(r),
    });
  }
  state.sketchStart = r.f64();
  state.sketches = [
    sketchFromBytes(r.bytes(64 + 16 * params.sketchBins), params.sketchAccuracy, params.sketchBins),
    sketchFromBytes(r.bytes(64 + 16 * params.sketchBins), params.sketchAccuracy, params.sketchBins),
  ];
  const cps = r.uint(params.counterpartyK);
  for (let i = 0; i < cps; i += 1) {
    const name = r.string(TEXT_BYTES);
    state.counterparties.set(name, { count: r.uint(), last: state.clock - r.uint() });
  }
  state.novelCounterpartyRate = r.f32();
  const actions = r.uint(params.actionAlphabet);
  for (let i = 0; i < actions; i += 1) state.actions.push(r.string(TEXT_BYTES));
  const nonZero = r.uint(state.transitions.length);
  for (let i = 0; i < nonZero; i += 1) state.transitions[r.uint(state.transitions.length - 1)] = r.f32();
  state.prevAction = r.uint(params.actionAlphabet + 1) - 1;
  state.prevActionAt = r.f64();
  state.sequenceCusum = r.f32();
  const origins = r.uint(params.originSlots);
  for (let i = 0; i < origins; i += 1) {
    const cert = r.uint(0xffffffff);
    const prefix = r.string(TEXT_BYTES);
    const ua = r.uint(0xffffffff);
    const region = r.string(TEXT_BYTES);
    const count = r.uint();
    const first = state.clock - r.uint();
    const last = state.clock - r.uint();
    state.origins.push({ cert, prefix, ua, region, count, first, last });
  }
  state.novelOriginRate = r.f32();
  state.idsHead = r.uint(params.recentIds - 1);
  for (let i = 0; i < params.recentIds; i += 1) state.ids[i] = r.uint(0x100000000) - 1;
  const live = r.uint(RECENT_SLOTS);
  for (let i = 0; i < live; i += 1) {
    state.recentCp[i] = r.uint(0xffffffff);
    state.recentAt[i] = r.f64();
  }
  state.recentHead = live % RECENT_SLOTS;
  state.spreadMean = r.f32();
  state.spreadVar = r.f32();
  state.driftDay = r.uint() - 1;
  state.driftCount = r.uint();
  state.driftLogAmount = r.f64();
  state.driftLogAmountSquares = r.f64();
  state.driftAmounts = r.uint();
  for (const t of state.driftTracks) readTrack(r, t);
  for (const t of state.driftTracks) t.days = r.uint();
  const evidence = r.uint(SIGNALS.length);
  for (let i = 0; i < evidence; i += 1) {
    const signal = SIGNALS[r.uint(SIGNALS.length - 1)]!;
    state.evidence.set(signal, { s: r.f32(), at: r.f64(), observed: readValue(r), baseline: readValue(r) });
  }
  state.episodeStart = r.f64();
  state.lastScore = r.f64();
  state.dailyActions = r.f32();
  for (let h = 0; h < 3; h += 1) {
    if (version === 1) {
      state.rateCeiling[h] = highestBin(state.rateHist.subarray(h * COUNT_BINS, (h + 1) * COUNT_BINS));
      continue;
    }
    state.rateCeiling[h] = r.uint(COUNT_BINS - 1);
    state.rateCeilingDay[h] = r.uint(0xffffffff);
  }
  if (version !== 1) state.pendingAmount = r.f64();
  if (!(state.pendingAmount >= 0 && Number.isFinite(state.pendingAmount))) {
    throw new RangeError('behaviour state: bad pending amount');
  }
  if (r.remaining !== 0) throw new RangeError('behaviour state: trailing bytes');
  return state;
}

/** The 30-day hourly ring, oldest first, with runs of empty hours written as (0, run length). */
function writeHourly(w: ByteWriter, state: AgentState): void {
  w.uint(state.hourlyHead + 1);
  if (state.hourlyHead < 0) return;
  let zeros = 0;
  for (let k = HOURLY_SLOTS - 1; k >= 0; k -= 1) {
    const c = state.hourly[(state.hourlyHead - k) % HOURLY_SLOTS]!;
    if (c === 0) {
      zeros += 1;
      continue;
    }
    if (zeros > 0) {
      w.uint(0);
      w.uint(zeros);
      zeros = 0;
    }
    w.uint(c);
  }
  if (zeros > 0) {
    w.uint(0);
    w.uint(zeros);
  }
}

function readHourly(r: ByteReader, state: AgentState): void {
  state.hourlyHead = r.uint() - 1;
  if (state.hourlyHead < 0) return;
  let k = HOURLY_SLOTS - 1;
  while (k >= 0) {
    const c = r.uint(0xffffffff);
    if (c === 0) {
      const run = r.uint(k + 1);
      if (run === 0) throw new RangeError('behaviour state: empty run');
      k -= run;
      continue;
    }
    state.hourly[(state.hourlyHead - k) % HOURLY_SLOTS] = c;
    k -= 1;
  }
}

/** Mostly-empty float arrays (histograms) as (index, float32) pairs of the non-negligible entries. */
function writeSparse(w: ByteWriter, values: Float64Array): void {
  const kept: number[] = [];
  for (let i = 0; i < values.length; i += 1) if (values[i]! >= 1e-3) kept.push(i);
  w.uint(kept.length);
  for (const i of kept) {
    w.uint(i);
    w.f32(values[i]!);
  }
}

function readSparse(r: ByteReader, into: Float64Array): void {
  const n = r.uint(into.length);
  for (let k = 0; k < n; k += 1) into[r.uint(into.length - 1)] = r.f32();
}

function readTrack(r: ByteReader, t: DriftTrack): void {
  t.mean = r.f32();
  t.variance = r.f32();
  t.cum = r.f32();
  t.last = r.f32();
}

/** Tags: 0 string, 1 float64, even n ≥ 2 the integer n/2 − 1 (most amounts and counts): exact either way. */
function writeExact(w: ByteWriter, v: number): void {
  if (Number.isSafeInteger(v) && v >= 0 && v < 2 ** 48) {
    w.uint(v * 2 + 2);
  } else {
    w.uint(1);
    w.f64(v);
  }
}

function readExact(r: ByteReader): number {
  const tag = r.uint();
  if (tag === 1) return r.f64();
  return tag >= 2 && tag % 2 === 0 ? tag / 2 - 1 : badTag();
}

function writeValue(w: ByteWriter, v: number | string): void {
  if (typeof v === 'string') {
    w.uint(0);
    w.string(v.slice(0, 200));
  } else {
    writeExact(w, v);
  }
}

function readValue(r: ByteReader): number | string {
  const tag = r.uint();
  if (tag === 0) return r.string(1024);
  if (tag === 1) return r.f64();
  return tag % 2 === 0 ? tag / 2 - 1 : badTag();
}

function badTag(): never {
  throw new RangeError('behaviour state: bad value tag');
}

export function checksum(body: Uint8Array): number {
  // hash32 over a latin1 view of the bytes: detects corruption and foreign items, not an authenticity check.
  let text = '';
  for (let i = 0; i < body.length; i += 4096) text += String.fromCharCode(...body.subarray(i, i + 4096));
  return hash32(text);
}
