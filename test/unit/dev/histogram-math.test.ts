import { describe, expect, it } from 'vitest';
import { ExponentialHistogram } from '../../../src/core/metrics/exponential-histogram';
import { histogramOfWeighted, mergeHistogramData, percentilesOf, subtractHistogramData } from '../../../src/dev/histogram-math';

function histogramOf(values: number[], maxBuckets = 160) {
  const histogram = new ExponentialHistogram(maxBuckets);
  for (const value of values) histogram.record(value);
  return histogram.toData();
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('histogram math', () => {
  it('merges histograms of different scales into exactly the histogram of all their values', () => {
    const narrow = histogramOf(range(100, 120)); // a fine scale
    const wide = histogramOf([0.5, 3, 4000, -2]); // a coarse one, zeros and negatives included
    const merged = mergeHistogramData([narrow, wide]);
    const together = histogramOf([...range(100, 120), 0.5, 3, 4000, -2]);
    expect(merged).toEqual({ ...together, sum: merged.sum });
    expect(merged.sum).toBeCloseTo(together.sum, 9);
    expect(percentilesOf(merged)).toEqual(percentilesOf(together));
  });

  it('downscales a merge to its bucket budget, keeping counts, min and max', () => {
    const merged = mergeHistogramData([histogramOf([0.001]), histogramOf([1e9])], 8);
    expect(merged.positive.bucketCounts.length).toBeLessThanOrEqual(8);
    expect(merged).toMatchObject({ count: 2, min: 0.001, max: 1e9 });
  });

  it('subtracts a cumulative histogram from its successor, and refuses one that is not', () => {
    const before = histogramOf(range(1, 50));
    const after = histogramOf(range(1, 100));
    const delta = subtractHistogramData(after, before)!;
    expect(delta.count).toBe(50);
    expect(percentilesOf(mergeHistogramData([before, delta]))).toEqual(percentilesOf(after));
    expect(subtractHistogramData(before, after)).toBeUndefined();
  });

  it('weights values: a value with weight 3 counts three times', () => {
    const weighted = histogramOfWeighted([
      [10, 3],
      [1000, 1],
    ]);
    expect(weighted).toMatchObject({ count: 4, sum: 1030, min: 10, max: 1000 });
    expect(percentilesOf(weighted).p50).toBeCloseTo(10, 0);
    expect(percentilesOf(weighted).p99).toBe(1000);
  });

  it('reads no percentiles from an empty histogram', () => {
    expect(percentilesOf(undefined)).toEqual({ p50: null, p90: null, p95: null, p99: null });
  });
});
