import type { ExponentialHistogramData } from '../../core/metrics/exponential-histogram';

/** A classic histogram bucket: how many values were ≤ `le`. */
export interface ClassicBucket {
  le: number;
  count: number;
}

/**
 * A distribution's exponential histogram as classic `_bucket` boundaries, cumulative and
 * ascending, ending with `+Inf`. The boundaries are powers of two (the exponential buckets of
 * scale 0, or of the histogram's own scale when it is coarser), so every finer bucket lies
 * inside one of them and each positive count is exact, and the set of boundaries stays the same
 * from scrape to scrape, growing only at its ends as the data widens. Every boundary between the
 * lowest and the highest populated one is listed, so `rate()` and `histogram_quantile()` see a
 * steady layout. Negative values get mirrored boundaries (−2^k) and a `0` boundary; there a value
 * equal to a boundary is counted in the bucket above it.
 *
 * @example
 * classicBuckets(histogram); // → [{ le: 8, count: 3 }, { le: 16, count: 41 }, { le: Infinity, count: 41 }]
 */
export function classicBuckets(histogram: ExponentialHistogramData): ClassicBucket[] {
  const coarse = Math.min(histogram.scale, 0);
  const shift = histogram.scale - coarse;
  // Coarse bucket j covers (B^j, B^(j+1)] with B = 2^(2^-coarse).
  const boundary = (j: number): number => Math.pow(2, j * Math.pow(2, -coarse));
  const buckets: ClassicBucket[] = [];
  let cumulative = 0;
  const negative = regroup(histogram.negative.offset, histogram.negative.bucketCounts, shift);
  for (let j = negative.high; j >= negative.low; j--) {
    cumulative += negative.counts.get(j) ?? 0;
    buckets.push({ le: -boundary(j), count: cumulative });
  }
  if (histogram.zeroCount > 0 || negative.high >= negative.low) {
    cumulative += histogram.zeroCount;
    buckets.push({ le: 0, count: cumulative });
  }
  const positive = regroup(histogram.positive.offset, histogram.positive.bucketCounts, shift);
  for (let j = positive.low; j <= positive.high; j++) {
    cumulative += positive.counts.get(j) ?? 0;
    buckets.push({ le: boundary(j + 1), count: cumulative });
  }
  buckets.push({ le: Infinity, count: histogram.count });
  return buckets;
}

function regroup(offset: number, counts: ArrayLike<number>, shift: number): { low: number; high: number; counts: Map<number, number> } {
  const grouped = new Map<number, number>();
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const j = (offset + i) >> shift;
    grouped.set(j, (grouped.get(j) ?? 0) + counts[i]);
    if (j < low) low = j;
    if (j > high) high = j;
  }
  return { low, high, counts: grouped };
}
