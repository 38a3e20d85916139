/**
 * Exponential histogram arithmetic for the viewer: merging (exact: bucket i at scale s lies
 * inside bucket i >> k at scale s - k, OTLP data model "ExponentialHistogram"), subtracting
 * (cumulative → delta), building one from weighted values (Sentry's weighted items), and
 * reading percentiles with the SDK's own nearest-rank quantile.
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 */
import { ExponentialHistogram, type ExponentialHistogramData } from '../core/metrics/exponential-histogram';
import { MIN_SCALE, mapToIndex } from '../core/metrics/exponential-mapping';

/** The percentiles every chart and point carries. */
export const PERCENTILES: ReadonlyArray<readonly [key: 'p50' | 'p90' | 'p95' | 'p99', q: number]> = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** p50 … p99 of one histogram; null while empty. */
export type Percentiles = Record<'p50' | 'p90' | 'p95' | 'p99', number | null>;

/**
 * Buckets a stored histogram may hold (both signs together); a merge downscales until it fits.
 * 320 keeps 32 buckets an octave over ten octaves (three decades): percentiles within ~1.1%.
 */
export const MAX_STORED_BUCKETS = 320;
/**
 * Buckets one chart interval of one series may hold: 64 keep an interval's percentiles within
 * ~5% over three decades (and exact when the values span less), in at most half a kilobyte, so a
 * viewer at its series and interval caps stays within about a hundred megabytes.
 */
export const MAX_INTERVAL_BUCKETS = 64;
/** The scale weighted values are placed at before merging brings them down. */
const WEIGHTED_SCALE = 8;

/** `{ p50, p90, p95, p99 }` of a histogram, rounded to four digits. */
export function percentilesOf(data: ExponentialHistogramData | undefined): Percentiles {
  const histogram = data && data.count > 0 ? ExponentialHistogram.fromData(data) : undefined;
  const result = {} as Percentiles;
  for (const [key, q] of PERCENTILES) result[key] = histogram ? roundValue(histogram.quantile(q)) : null;
  return result;
}

/** An empty histogram at the finest scale (merging anything into it takes the other's scale). */
export function emptyHistogramData(): ExponentialHistogramData {
  return { scale: 20, zeroCount: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, count: 0, sum: 0, min: NaN, max: NaN };
}

/**
 * Adds histograms together at the finest scale they share, then lower until the range fits
 * `maxBuckets`. Counts, sums, minima and maxima combine exactly.
 *
 * @example
 * mergeHistogramData([a, b]).count === a.count + b.count; // true
 */
export function mergeHistogramData(histograms: ReadonlyArray<ExponentialHistogramData | undefined>, maxBuckets = MAX_STORED_BUCKETS): ExponentialHistogramData {
  const inputs = histograms.filter((data): data is ExponentialHistogramData => data !== undefined && data.count > 0);
  if (inputs.length === 0) return emptyHistogramData();
  let scale = Math.max(MIN_SCALE, Math.min(...inputs.map((data) => data.scale)));
  for (; scale > MIN_SCALE; scale--) {
    if (spanAt(inputs, 'positive', scale) + spanAt(inputs, 'negative', scale) <= maxBuckets) break;
  }
  const merged: ExponentialHistogramData = {
    scale,
    zeroCount: 0,
    positive: sumBuckets(inputs, 'positive', scale, 1),
    negative: sumBuckets(inputs, 'negative', scale, 1),
    count: 0,
    sum: 0,
    min: Infinity,
    max: -Infinity,
  };
  for (const data of inputs) {
    merged.zeroCount += data.zeroCount;
    merged.count += data.count;
    merged.sum += Number.isFinite(data.sum) ? data.sum : 0;
    if (Number.isFinite(data.min)) merged.min = Math.min(merged.min, data.min);
    if (Number.isFinite(data.max)) merged.max = Math.max(merged.max, data.max);
  }
  if (!Number.isFinite(merged.min)) merged.min = NaN;
  if (!Number.isFinite(merged.max)) merged.max = NaN;
  return merged;
}

/**
 * `current - previous` for two cumulative points of one series (OTLP cumulative temporality):
 * the values recorded in between. Undefined when `current` is not a continuation of `previous`
 * (a count or bucket went down: the sender restarted), so the caller takes `current` as is.
 * The interval's min and max are unknown; the current point's are kept (an upper bound).
 */
export function subtractHistogramData(current: ExponentialHistogramData, previous: ExponentialHistogramData): ExponentialHistogramData | undefined {
  if (current.count < previous.count || current.zeroCount < previous.zeroCount) return undefined;
  const scale = Math.min(current.scale, previous.scale);
  const both = [current, previous];
  const positive = sumBuckets(both, 'positive', scale, -1);
  const negative = sumBuckets(both, 'negative', scale, -1);
  if (positive.bucketCounts.some((count) => count < 0) || negative.bucketCounts.some((count) => count < 0)) return undefined;
  return { scale, zeroCount: current.zeroCount - previous.zeroCount, positive, negative, count: current.count - previous.count, sum: current.sum - previous.sum, min: current.min, max: current.max };
}

/**
 * A histogram of values that each stand for `weight` recorded ones (Sentry's
 * `sentry.client_sample_rate` = 1 / weight). Weights are rounded to whole counts, at least 1.
 *
 * @example
 * histogramOfWeighted([[12, 3], [40, 1]]).count; // 4
 */
export function histogramOfWeighted(values: ReadonlyArray<readonly [value: number, weight: number]>): ExponentialHistogramData {
  const single = values
    .filter(([value]) => Number.isFinite(value))
    .map(([value, weight]): ExponentialHistogramData => {
      const count = Math.max(1, Math.round(Number.isFinite(weight) ? weight : 1));
      const data: ExponentialHistogramData = { ...emptyHistogramData(), scale: WEIGHTED_SCALE, count, sum: value * count, min: value, max: value };
      if (value === 0) data.zeroCount = count;
      else data[value > 0 ? 'positive' : 'negative'] = { offset: mapToIndex(Math.abs(value), WEIGHTED_SCALE), bucketCounts: [count] };
      return data;
    });
  return mergeHistogramData(single);
}

/** Four significant digits: enough for a chart, and small in JSON. Null for non-finite values. */
export function roundValue(value: number | undefined): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return Number(value.toPrecision(4));
}

type Sign = 'positive' | 'negative';

/** The used index range of one sign's buckets at `scale`, or undefined when empty. */
function rangeAt(data: ExponentialHistogramData, sign: Sign, scale: number): [number, number] | undefined {
  const counts = data[sign]?.bucketCounts ?? [];
  let first = 0;
  while (first < counts.length && !(counts[first] > 0)) first++;
  if (first === counts.length) return undefined;
  let last = counts.length - 1;
  while (!(counts[last] > 0)) last--;
  const shift = data.scale - scale;
  return [(data[sign].offset + first) >> shift, (data[sign].offset + last) >> shift];
}

function spanAt(inputs: ExponentialHistogramData[], sign: Sign, scale: number): number {
  let low = Infinity;
  let high = -Infinity;
  for (const data of inputs) {
    const range = rangeAt(data, sign, scale);
    if (!range) continue;
    low = Math.min(low, range[0]);
    high = Math.max(high, range[1]);
  }
  return high < low ? 0 : high - low + 1;
}

/** Σ factor_i × buckets_i at `scale`: factor 1 merges; (1, -1) subtracts the second input. */
function sumBuckets(inputs: ExponentialHistogramData[], sign: Sign, scale: number, restFactor: 1 | -1): { offset: number; bucketCounts: number[] } {
  let low = Infinity;
  for (const data of inputs) {
    const range = rangeAt(data, sign, scale);
    if (range) low = Math.min(low, range[0]);
  }
  if (low === Infinity) return { offset: 0, bucketCounts: [] };
  const bucketCounts: number[] = [];
  inputs.forEach((data, position) => {
    const factor = position === 0 ? 1 : restFactor;
    const { offset, bucketCounts: counts } = data[sign] ?? { offset: 0, bucketCounts: [] };
    const shift = data.scale - scale;
    for (let i = 0; i < counts.length; i++) {
      if (!(counts[i] > 0)) continue;
      const slot = ((offset + i) >> shift) - low;
      bucketCounts[slot] = (bucketCounts[slot] ?? 0) + factor * counts[i];
    }
  });
  for (let i = 0; i < bucketCounts.length; i++) bucketCounts[i] ??= 0;
  let end = bucketCounts.length;
  while (end > 0 && bucketCounts[end - 1] === 0) end--;
  let start = 0;
  while (start < end && bucketCounts[start] === 0) start++;
  return { offset: low + start, bucketCounts: bucketCounts.slice(start, end) };
}
