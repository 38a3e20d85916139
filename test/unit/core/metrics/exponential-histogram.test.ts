import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AggregationType, MeterProvider, MetricReader, type ExponentialHistogram as OtelExponentialHistogram } from '@opentelemetry/sdk-metrics';
import { DEFAULT_MAX_BUCKETS, ExponentialHistogram, MAX_SCALE, type ExponentialHistogramData } from '../../../../src/core/metrics/exponential-histogram';
import { MIN_SCALE, lowerBoundary, mapToIndex } from '../../../../src/core/metrics/exponential-mapping';

/** mulberry32: a small seeded PRNG, so every generated data set is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Log-normal samples kept only inside [low, high], so the data spans a known range. */
function logNormal(random: () => number, median: number, sigma: number, low = 1, high = 1000): number {
  for (;;) {
    const value = median * Math.exp(sigma * standardNormal(random));
    if (value >= low && value <= high) return value;
  }
}

/**
 * The exact nearest-rank quantile, the definition `quantile()` estimates: the smallest value with
 * at least q × n values at or below it (the 1e-9 absorbs 0.999 × n landing a hair above an integer).
 */
function exactQuantile(sorted: number[], q: number): number {
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[rank - 1];
}

const PERCENTILES = [0.5, 0.9, 0.95, 0.99, 0.999];

function histogramOf(values: number[], maxBuckets?: number, maxScale?: number): ExponentialHistogram {
  const histogram = new ExponentialHistogram(maxBuckets, maxScale);
  for (const value of values) histogram.record(value);
  return histogram;
}

/** The largest relative error of the histogram's quantiles against the exact ones. */
function worstRelativeError(values: number[], quantiles: number[]): number {
  const histogram = histogramOf(values);
  const sorted = [...values].sort((a, b) => a - b);
  let worst = 0;
  for (const q of quantiles) {
    const exact = exactQuantile(sorted, q);
    const estimate = histogram.quantile(q);
    worst = Math.max(worst, exact === 0 ? (estimate === 0 ? 0 : Infinity) : Math.abs(estimate - exact) / Math.abs(exact));
  }
  return worst;
}

const sumOf = (counts: number[]): number => counts.reduce((a, b) => a + b, 0);

/** Bucket counts recomputed from the raw values at `scale`, keyed by index. */
function recount(values: number[], scale: number, sign: 1 | -1): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) {
    if (value * sign <= 0) continue;
    const index = mapToIndex(Math.abs(value), scale);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return counts;
}

function bucketsAsMap(buckets: { offset: number; bucketCounts: number[] }): Map<number, number> {
  const counts = new Map<number, number>();
  buckets.bucketCounts.forEach((count, i) => {
    if (count > 0) counts.set(buckets.offset + i, count);
  });
  return counts;
}

const nextUp = (powerOfTwo: number): number => powerOfTwo * (1 + Number.EPSILON);
const nextDown = (powerOfTwo: number): number => powerOfTwo * (1 - Number.EPSILON / 2);
const SCALES = [-10, -4, -1, 0, 1, 2, 3, 6, 10, 20];
const EXPONENTS = [-1022, -100, -3, -1, 0, 1, 2, 7, 10, 100, 1023];

describe('mapToIndex', () => {
  it('puts an exact power of two at the top of the bucket below it, at every scale', () => {
    for (const scale of SCALES) {
      for (const exponent of EXPONENTS) {
        const expected = scale > 0 ? (exponent << scale) - 1 : (exponent - 1) >> -scale;
        expect(mapToIndex(Math.pow(2, exponent), scale), `2^${exponent} at scale ${scale}`).toBe(expected);
        expect(mapToIndex(nextDown(Math.pow(2, exponent)), scale)).toBe(expected);
      }
    }
  });

  it('puts the next double above a power of two in the bucket that starts there', () => {
    for (const scale of SCALES) {
      for (const exponent of EXPONENTS) {
        const expected = scale > 0 ? exponent << scale : exponent >> -scale;
        expect(mapToIndex(nextUp(Math.pow(2, exponent)), scale), `2^${exponent}+ at scale ${scale}`).toBe(expected);
      }
    }
  });

  it('matches worked examples at scales 0, -1, 1 and 2', () => {
    // scale 0: (1,2] (2,4] (4,8]; scale -1: base 4; scale 1: base √2; scale 2: base 2^(1/4).
    expect([0.5, 1, 1.5, 2, 3, 4, 5].map((v) => mapToIndex(v, 0))).toEqual([-2, -1, 0, 0, 1, 1, 2]);
    expect([1, 2, 4, 4.5, 16, 17].map((v) => mapToIndex(v, -1))).toEqual([-1, 0, 0, 1, 1, 2]);
    expect([1.4, 1.5, 2, 2.8, 2.9].map((v) => mapToIndex(v, 1))).toEqual([0, 1, 1, 2, 3]);
    expect([1.18, 1.19, 1.41, 1.42, 1.68, 1.69].map((v) => mapToIndex(v, 2))).toEqual([0, 1, 1, 2, 2, 3]);
  });

  it('maps just above a lower boundary into that bucket and just below it into the one before', () => {
    for (const scale of [1, 3, 6, 10, 11, 16, 20]) {
      const far = 500 << scale; // 2^±500
      const lastInOctave = (1 << scale) - 1;
      for (const index of [-far + 5, -1500, -129, -1, 1, 7, 63, 65, 1000, 1500, lastInOctave, far + 3]) {
        // 1e-12 is a millionth of a bucket at scale 20, and far above the boundary's rounding error.
        const boundary = lowerBoundary(index, scale);
        expect(mapToIndex(boundary * (1 + 1e-12), scale), `above ${index} at ${scale}`).toBe(index);
        expect(mapToIndex(boundary * (1 - 1e-12), scale), `below ${index} at ${scale}`).toBe(index - 1);
      }
    }
  });

  it('gives exact lower boundaries at powers of two for positive and negative scales', () => {
    expect(lowerBoundary(0, 0)).toBe(1);
    expect(lowerBoundary(3 << 6, 6)).toBe(8);
    expect(lowerBoundary(-2 << 20, 20)).toBe(0.25);
    expect(lowerBoundary(2, -2)).toBe(256);
    expect(lowerBoundary(-1, -10)).toBe(Math.pow(2, -1024));
  });

  it('maps subnormals with the smallest normal and the largest double into the top bucket', () => {
    for (const scale of SCALES) {
      expect(mapToIndex(Number.MIN_VALUE, scale)).toBe(mapToIndex(Math.pow(2, -1022), scale));
      expect(mapToIndex(Math.pow(2, -1030), scale)).toBe(mapToIndex(Math.pow(2, -1022), scale));
      const top = scale > 0 ? (1024 << scale) - 1 : 1023 >> -scale;
      expect(mapToIndex(Number.MAX_VALUE, scale)).toBe(top);
    }
  });

  it('places every normal value between the lower and upper boundary of its bucket, at every scale', () => {
    fc.assert(
      fc.property(fc.double({ min: Math.pow(2, -1022), noNaN: true, noDefaultInfinity: true }), fc.integer({ min: MIN_SCALE, max: MAX_SCALE }), (value, scale) => {
        const index = mapToIndex(value, scale);
        // Boundaries other than powers of two are irrational, so allow the last digits.
        expect(value).toBeGreaterThan(lowerBoundary(index, scale) * (1 - 1e-12));
        expect(value).toBeLessThanOrEqual(lowerBoundary(index + 1, scale) * (1 + 1e-12));
      }),
      { numRuns: 5000 },
    );
  });

  it('is consistent across scales: the index at scale s - 1 is the index at scale s shifted right by one', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: MIN_SCALE + 1, max: MAX_SCALE }),
        (value, scale) => mapToIndex(value, scale) >> 1 === mapToIndex(value, scale - 1),
      ),
      { numRuns: 2000 },
    );
  });
});

class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

describe('ExponentialHistogram', () => {
  it('produces the same scale and buckets as the OpenTelemetry SDK for the same values and budget', async () => {
    const random = seededRandom(7);
    const values = Array.from({ length: 5000 }, () => logNormal(random, 20, 2, 1e-3, 1e5));
    const reader = new CollectingReader();
    const provider = new MeterProvider({
      readers: [reader],
      views: [{ instrumentName: 'latency', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 160 } } }],
    });
    const otel = provider.getMeter('test').createHistogram('latency');
    for (const value of values) otel.record(value);
    const { resourceMetrics } = await reader.collect();
    const expected = resourceMetrics.scopeMetrics[0].metrics[0].dataPoints[0].value as OtelExponentialHistogram;
    await provider.shutdown();

    const data = histogramOf(values, 160).toData();
    expect(data.scale).toBe(expected.scale);
    expect(data.positive).toEqual(expected.positive);
    expect(data.count).toBe(expected.count);
  });

  it('downscales by the least amount that fits while values from 1e-3 to 1e6 stay counted exactly', () => {
    const values: number[] = [];
    for (let i = 0; i <= 9000; i++) values.push(1e-3 * Math.pow(10, i / 1000));
    values.push(1e-3, 1e6, 1, 1024);
    const histogram = histogramOf(values);
    let fittingScale = MAX_SCALE;
    while (mapToIndex(1e6, fittingScale) - mapToIndex(1e-3, fittingScale) + 1 > DEFAULT_MAX_BUCKETS) fittingScale--;

    expect(histogram.scale).toBe(fittingScale);
    const data = histogram.toData();
    expect(data.count).toBe(values.length);
    expect(sumOf(data.positive.bucketCounts)).toBe(values.length);
    expect(data.sum).toBe(values.reduce((a, b) => a + b, 0));
    expect(data.min).toBe(1e-3);
    expect(data.max).toBe(1e6);
  });

  it('merges buckets on downscale exactly as if every value had been recorded at the final scale', () => {
    const random = seededRandom(11);
    const values = Array.from({ length: 20000 }, () => logNormal(random, 50, 3, 1e-4, 1e7) * (random() < 0.2 ? -1 : 1));
    const downscaled = histogramOf(values);
    const direct = histogramOf(values, 1 << 16, downscaled.scale);
    expect(direct.scale).toBe(downscaled.scale);
    expect(downscaled.toData()).toEqual(direct.toData());
  });

  it('counts zeros in zeroCount and negative values by magnitude in the negative range', () => {
    const histogram = histogramOf([0, -0, -1, -2, -3, 3, 0]);
    const data = histogram.toData();
    expect(data.zeroCount).toBe(3);
    expect(bucketsAsMap(data.negative)).toEqual(recount([-1, -2, -3], data.scale, -1));
    expect(bucketsAsMap(data.positive)).toEqual(recount([3], data.scale, 1));
    expect([data.count, data.sum, data.min, data.max]).toEqual([7, -3, -3, 3]);
    expect(histogram.quantile(0)).toBe(-3);
    expect(histogram.quantile(0.5)).toBe(0);
    expect(histogram.quantile(1)).toBe(3);
  });

  it('ignores NaN and infinities without changing any state', () => {
    const histogram = histogramOf([5, 10]);
    const before = histogram.toData();
    histogram.record(NaN);
    histogram.record(Infinity);
    histogram.record(-Infinity);
    expect(histogram.toData()).toEqual(before);
  });

  it('reports NaN quantiles, min and max while empty', () => {
    const histogram = new ExponentialHistogram();
    expect(histogram.quantile(0.5)).toBeNaN();
    expect([histogram.count, histogram.sum, histogram.zeroCount, histogram.scale]).toEqual([0, 0, 0, MAX_SCALE]);
    expect(histogram.min).toBeNaN();
    expect(histogram.max).toBeNaN();
    expect(histogram.toData().positive).toEqual({ offset: 0, bucketCounts: [] });
  });

  it('clamps q outside [0, 1] and answers the exact min and max at the ends', () => {
    const histogram = histogramOf([3.3, 7.1, 42.5, 999.9]);
    expect(histogram.quantile(-1)).toBe(3.3);
    expect(histogram.quantile(0)).toBe(3.3);
    expect(histogram.quantile(1)).toBe(999.9);
    expect(histogram.quantile(7)).toBe(999.9);
    expect(histogram.quantile(NaN)).toBeNaN();
  });

  describe('quantiles stay within 1% of the exact nearest-rank quantile over three decades', () => {
    it('on log-normal data (median 40 ms, σ = 1, kept within 1..1000 ms)', () => {
      const random = seededRandom(1);
      const values = Array.from({ length: 100000 }, () => logNormal(random, 40, 1));
      expect(histogramOf(values).scale).toBeGreaterThanOrEqual(6);
      expect(worstRelativeError(values, PERCENTILES)).toBeLessThan(0.01);
    });

    it('on bimodal data (80% near 5 ms, 20% near 800 ms)', () => {
      const random = seededRandom(2);
      const values = Array.from({ length: 100000 }, () => (random() < 0.8 ? logNormal(random, 5, 0.25) : logNormal(random, 800, 0.08)));
      expect(worstRelativeError(values, PERCENTILES)).toBeLessThan(0.01);
    });

    it('on log-uniform data covering exactly 1..1000 ms, at every percentile', () => {
      const random = seededRandom(3);
      const values = Array.from({ length: 50000 }, () => Math.pow(1000, random()));
      values.push(1, 1000);
      const everyPercentile = Array.from({ length: 101 }, (_, i) => i / 100);
      expect(histogramOf(values).scale).toBe(6);
      expect(worstRelativeError(values, [...everyPercentile, 0.999])).toBeLessThan(0.01);
    });

    it('on data of both signs, ordering negatives below zero', () => {
      const random = seededRandom(4);
      const values = Array.from({ length: 20000 }, () => {
        const magnitude = Math.pow(30, random());
        return random() < 0.3 ? -magnitude : random() < 0.1 ? 0 : magnitude;
      });
      expect(worstRelativeError(values, [0.01, 0.1, 0.25, ...PERCENTILES])).toBeLessThan(0.01);
    });
  });

  it('keeps bucket storage within 4 KB for data of both signs spanning twelve decades', () => {
    const random = seededRandom(5);
    const histogram = new ExponentialHistogram();
    for (let i = 0; i < 50000; i++) {
      const value = Math.pow(10, -6 + 12 * random());
      histogram.record(random() < 0.5 ? value : -value);
    }
    expect(histogram.byteSize()).toBeLessThanOrEqual(4096);
    expect(histogram.byteSize()).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS * 4);
    const data = histogram.toData();
    expect(data.positive.bucketCounts.length + data.negative.bucketCounts.length).toBeLessThanOrEqual(DEFAULT_MAX_BUCKETS);
  });

  it('allocates nothing until the first value, then one-byte counts over the populated range, widening only when a count needs it', () => {
    const histogram = new ExponentialHistogram();
    expect(histogram.byteSize()).toBe(0);
    histogram.record(250);
    expect(histogram.byteSize()).toBe(8); // a handful of one-byte slots
    for (let i = 1; i < 255; i++) histogram.record(250);
    expect(histogram.byteSize()).toBe(8); // 255 still fits a byte
    histogram.record(250);
    expect(histogram.byteSize()).toBe(8 * 2); // 256 needs two bytes
    histogram.record(250 * Math.pow(2, 30.5 / (1 << MAX_SCALE))); // 30 buckets up, at scale 20
    expect(histogram.scale).toBe(MAX_SCALE);
    expect(histogram.byteSize()).toBe((31 + (31 >> 2)) * 2); // the 31 populated buckets and a quarter of slack
    for (let i = 0; i < 65_280; i++) histogram.record(250);
    expect(histogram.byteSize()).toBe((31 + (31 >> 2)) * 4); // 65,536 needs four bytes
    expect(histogram.toData().positive.bucketCounts[0]).toBe(65_536);
    expect(histogram.quantile(0.5)).toBeCloseTo(250, 3);
  });

  it('widens counts when a downscale merges buckets past 255, and when loaded counts need it', () => {
    const histogram = new ExponentialHistogram(4);
    for (let i = 0; i < 200; i++) histogram.record(1.5);
    for (let i = 0; i < 200; i++) histogram.record(1.75);
    histogram.record(1000); // forces a downscale that merges the 1.5s and 1.75s into one bucket
    const data = histogram.toData();
    expect(data.positive.bucketCounts).toContain(400);
    expect(sumOf(data.positive.bucketCounts)).toBe(401);
    expect(histogram.snapshot().positive.bucketCounts).toBeInstanceOf(Uint16Array);
    const loaded = ExponentialHistogram.fromData({ ...data, positive: { offset: data.positive.offset, bucketCounts: [70_000] } });
    expect(loaded.toData().positive.bucketCounts).toEqual([70_000]);
    expect(loaded.snapshot().positive.bucketCounts).toBeInstanceOf(Uint32Array);
  });

  it('saturates a bucket count at 2^32 - 1 instead of wrapping', () => {
    const histogram = ExponentialHistogram.fromData({
      scale: 0,
      zeroCount: 0,
      count: 0xffffffff,
      sum: 0xffffffff * 1.5,
      min: 1.5,
      max: 1.5,
      positive: { offset: 0, bucketCounts: [0xffffffff] },
      negative: { offset: 0, bucketCounts: [] },
    });
    histogram.record(1.5);
    expect(histogram.toData().positive.bucketCounts).toEqual([0xffffffff]);
  });

  it('round-trips through toData and fromData', () => {
    const random = seededRandom(6);
    const original = histogramOf(Array.from({ length: 5000 }, () => logNormal(random, 100, 1.5) * (random() < 0.1 ? -1 : 1)));
    const copy = ExponentialHistogram.fromData(original.toData());
    expect(copy.toData()).toEqual(original.toData());
    for (const q of PERCENTILES) expect(copy.quantile(q)).toBe(original.quantile(q));
  });

  it('merges two histograms into what recording every value in one gives, at the coarser scale', () => {
    const random = seededRandom(7);
    const fine = Array.from({ length: 3000 }, () => logNormal(random, 20, 1));
    const wide = Array.from({ length: 3000 }, () => logNormal(random, 100, 2, 0.01, 1e5) * (random() < 0.2 ? -1 : 1));
    const merged = histogramOf(fine);
    const other = histogramOf(wide);
    merged.merge(other.toData());
    const scale = Math.min(merged.scale, other.scale);
    const direct = new ExponentialHistogram(DEFAULT_MAX_BUCKETS, scale);
    for (const value of [...fine, ...wide]) direct.record(value);
    expect(merged.toData()).toEqual({ ...direct.toData(), sum: merged.sum });
    expect(merged.sum).toBeCloseTo(direct.sum, 6);
    expect(merged.count).toBe(6000);
    expect(merged.min).toBe(Math.min(...fine, ...wide));
    expect(merged.max).toBe(Math.max(...fine, ...wide));
  });

  it('ignores merged data with an invalid scale or no values', () => {
    const histogram = histogramOf([1, 2, 3]);
    const before = histogram.toData();
    histogram.merge({ ...histogramOf([5]).toData(), scale: 99 });
    histogram.merge(new ExponentialHistogram().toData());
    expect(histogram.toData()).toEqual(before);
  });

  it('downscales data from fromData that needs more buckets than the default budget', () => {
    const wide: ExponentialHistogramData = {
      scale: 8,
      zeroCount: 0,
      count: 3,
      sum: 0,
      min: 1,
      max: 1,
      positive: { offset: 0, bucketCounts: [1, ...new Array<number>(2000).fill(0), 2] },
      negative: { offset: 0, bucketCounts: [] },
    };
    const data = ExponentialHistogram.fromData(wide).toData();
    expect(data.scale).toBe(6);
    expect(data.positive).toEqual({ offset: 0, bucketCounts: [1, ...new Array<number>(499).fill(0), 2] });
  });

  it('keeps its invariants for any finite values and budget (property)', () => {
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.double({ min: -1e4, max: 1e4, noNaN: true }),
      fc.constantFrom(0, -0, 1, 2, 0.5, Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE),
    );
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), fc.integer({ min: 4, max: 200 }), (values, maxBuckets) => {
        const histogram = histogramOf(values, maxBuckets);
        const data = histogram.toData();
        expect(sumOf(data.positive.bucketCounts) + sumOf(data.negative.bucketCounts) + data.zeroCount).toBe(data.count);
        expect(data.count).toBe(values.length);
        expect(data.positive.bucketCounts.length + data.negative.bucketCounts.length).toBeLessThanOrEqual(maxBuckets);
        expect(histogram.byteSize()).toBeLessThanOrEqual(maxBuckets * 4);
        // Each value sits in the bucket the mapping gives it at the final scale, and nowhere else.
        expect(bucketsAsMap(data.positive)).toEqual(recount(values, data.scale, 1));
        expect(bucketsAsMap(data.negative)).toEqual(recount(values, data.scale, -1));
        for (const v of values) {
          // Subnormals are mapped with the smallest normal, below their own boundaries.
          if (v === 0 || Math.abs(v) < Math.pow(2, -1022)) continue;
          const { offset, bucketCounts } = v > 0 ? data.positive : data.negative;
          // Boundaries other than powers of two are irrational, so allow the last digits.
          expect(Math.abs(v)).toBeGreaterThan(lowerBoundary(offset, data.scale) * (1 - 1e-12));
          expect(Math.abs(v)).toBeLessThanOrEqual(lowerBoundary(offset + bucketCounts.length, data.scale) * (1 + 1e-12));
        }
        expect(data.sum).toBe(values.reduce((a, b) => a + b, 0));
        if (values.length > 0) {
          // == rather than Object.is: which zero is min when both 0 and -0 were recorded is moot.
          expect(data.min === Math.min(...values)).toBe(true);
          expect(data.max === Math.max(...values)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
