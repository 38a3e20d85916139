import type { DistributionPoint } from './types';

/** One value to send and how many recorded values it stands for (sent as `@1/count`). */
export interface WeightedValue {
  value: number;
  count: number;
}

/**
 * Turns a distribution's exponential histogram back into a few weighted values, ascending, for
 * backends that take values (StatsD daemons, Sentry points): one per non-empty bucket, weighted
 * by the bucket's count.
 *
 * - A bucket's value is its midpoint in log space, base^(index + ½) — the point with the least
 *   worst-case relative error to anything in the bucket — clamped to [min, max]. Zero has its own
 *   bucket; negative buckets mirror positive ones.
 * - The smallest and the largest recorded values are sent as themselves (weight 1), taken out of
 *   the end buckets, so the daemon's min and max are exact.
 * - Neighbours with the same value are merged.
 *
 * The weights add up to the histogram's bucket counts exactly; every value lies in the bucket of
 * the values it stands for, so any percentile a daemon computes from them (weighting by the
 * rate) is within the histogram's relative error (0.54% at scale 6). The sum is not kept: the
 * daemon's sum is Σ value × weight, each term within that same relative error.
 *
 * @example
 * histogramValues(point); // → [{ value: 12, count: 1 }, { value: 15.1, count: 40 }, { value: 480, count: 1 }]
 */
export function histogramValues(point: Pick<DistributionPoint, 'histogram' | 'min' | 'max'>): WeightedValue[] {
  const { histogram, min, max } = point;
  // log2 of the bucket base: base = 2^(2^-scale).
  const bucketWidth = Math.pow(2, -histogram.scale);
  const clamp = (value: number): number => (value < min ? min : value > max ? max : value);
  const values: WeightedValue[] = [];
  const { negative, positive } = histogram;
  for (let i = negative.bucketCounts.length - 1; i >= 0; i--) {
    const count = negative.bucketCounts[i];
    if (count > 0) values.push({ value: clamp(-logMidpoint(negative.offset + i, bucketWidth)), count });
  }
  if (histogram.zeroCount > 0) values.push({ value: clamp(0), count: histogram.zeroCount });
  for (let i = 0; i < positive.bucketCounts.length; i++) {
    const count = positive.bucketCounts[i];
    if (count > 0) values.push({ value: clamp(logMidpoint(positive.offset + i, bucketWidth)), count });
  }
  if (values.length === 0) return values;
  if (Number.isFinite(min) && Number.isFinite(max)) {
    // The lowest non-empty bucket holds the minimum and the highest the maximum, whatever the
    // scale, because the bucket mapping is monotonic.
    values[0].count--;
    values.unshift({ value: min, count: 1 });
    const last = values[values.length - 1];
    if (last.count > 0) {
      last.count--;
      values.push({ value: max, count: 1 });
    } else {
      // A single recorded value: it was the minimum, and it is also the maximum.
      values.pop();
    }
  }
  return mergeNeighbours(values);
}

function logMidpoint(index: number, bucketWidth: number): number {
  return Math.pow(2, (index + 0.5) * bucketWidth);
}

function mergeNeighbours(values: WeightedValue[]): WeightedValue[] {
  const merged: WeightedValue[] = [];
  for (const entry of values) {
    if (entry.count <= 0) continue;
    const previous = merged[merged.length - 1];
    if (previous && previous.value === entry.value) previous.count += entry.count;
    else merged.push(entry);
  }
  return merged;
}
