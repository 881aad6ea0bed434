/** Seeded randomness for the attack simulator (mulberry32): the same seed gives the same traffic on every machine. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  int(a: number, b: number): number {
    return Math.floor(this.uniform(a, b + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  logUniform(a: number, b: number): number {
    return Math.exp(this.uniform(Math.log(a), Math.log(b)));
  }

  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  poisson(mean: number): number {
    if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k += 1;
      p *= this.next();
    }
    return k;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Index in 0..n−1 with Zipf(1) weights: a few counterparties get most of the traffic. */
  zipf(n: number): number {
    let total = 0;
    for (let i = 1; i <= n; i += 1) total += 1 / i;
    let u = this.next() * total;
    for (let i = 1; i <= n; i += 1) {
      u -= 1 / i;
      if (u <= 0) return i - 1;
    }
    return n - 1;
  }

  /** A probability vector concentrated on a few entries (a workflow's usual next steps). */
  weights(n: number): number[] {
    const raw = Array.from({ length: n }, () => (-Math.log(1 - this.next())) ** 2);
    const sum = raw.reduce((a, b) => a + b, 0);
    return raw.map((r) => r / sum);
  }

  choose(weights: readonly number[]): number {
    let u = this.next();
    for (let i = 0; i < weights.length; i += 1) {
      u -= weights[i]!;
      if (u <= 0) return i;
    }
    return weights.length - 1;
  }
}
