/** mulberry32: a small seeded PRNG, so every generated data set is the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values spread evenly in log space over [low, high]: three decades for 1…1000. */
export function logUniform(random: () => number, low: number, high: number): number {
  return low * Math.pow(high / low, random());
}

/** The exact nearest-rank quantile: the smallest value with at least q × n values at or below it. */
export function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(sorted.length, rank) - 1];
}
