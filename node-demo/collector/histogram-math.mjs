/**
 * Percentiles and merging for the OTLP exponential histograms the collector receives. Quantiles
 * come from isometer's own ExponentialHistogram (nearest rank, within 1% at scale ≥ 6); merging
 * is done here because the collector charts one percentile line per metric name, across all of
 * its attribute sets and both clocks' flush intervals.
 */
import { ExponentialHistogram } from 'isometer/node';

/** The percentiles every chart and series point carries. */
export const PERCENTILES = [
  ['p50', 0.5],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
];

/** Same budget as the SDK's histograms: a merged histogram never holds more buckets than one of them. */
const MAX_MERGED_BUCKETS = 768;
// OTLP: scale ranges over [-10, 20].
const MIN_SCALE = -10;

/** `{ p50, p90, p95, p99 }` of a histogram in ExponentialHistogramData form; nulls when it is empty. */
export function percentilesOf(data) {
  const result = {};
  const histogram = data && data.count > 0 ? ExponentialHistogram.fromData(data) : undefined;
  for (const [key, q] of PERCENTILES) result[key] = histogram ? roundValue(histogram.quantile(q)) : null;
  return result;
}

/** An empty histogram at the finest scale (merging anything into it takes the other's scale). */
export function emptyHistogramData() {
  return { scale: 20, zeroCount: 0, positive: { offset: 0, bucketCounts: [] }, negative: { offset: 0, bucketCounts: [] }, count: 0, sum: 0, min: NaN, max: NaN };
}

/**
 * Adds histograms together. Bucket i at scale s lies inside bucket i >> k at scale s - k (OTLP
 * data model, exponential histogram), so the inputs are brought to one common scale exactly; the
 * scale drops further until the merged range fits the bucket budget.
 */
export function mergeHistogramData(histograms) {
  const inputs = histograms.filter((data) => data && data.count > 0);
  if (inputs.length === 0) return emptyHistogramData();
  let scale = Math.max(MIN_SCALE, Math.min(...inputs.map((data) => data.scale)));
  for (; scale > MIN_SCALE; scale--) {
    if (spanAt(inputs, 'positive', scale) + spanAt(inputs, 'negative', scale) <= MAX_MERGED_BUCKETS) break;
  }
  const merged = { scale, zeroCount: 0, positive: sumBuckets(inputs, 'positive', scale), negative: sumBuckets(inputs, 'negative', scale), count: 0, sum: 0, min: Infinity, max: -Infinity };
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

/** The used index range of one sign's buckets, at `scale`, or undefined when empty. */
function rangeAt(data, sign, scale) {
  const buckets = data[sign];
  if (!buckets || buckets.bucketCounts.length === 0) return undefined;
  const counts = buckets.bucketCounts;
  let first = 0;
  while (first < counts.length && !(counts[first] > 0)) first++;
  if (first === counts.length) return undefined;
  let last = counts.length - 1;
  while (!(counts[last] > 0)) last--;
  const shift = data.scale - scale;
  return [(buckets.offset + first) >> shift, (buckets.offset + last) >> shift];
}

function spanAt(inputs, sign, scale) {
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

function sumBuckets(inputs, sign, scale) {
  let low = Infinity;
  for (const data of inputs) {
    const range = rangeAt(data, sign, scale);
    if (range) low = Math.min(low, range[0]);
  }
  if (low === Infinity) return { offset: 0, bucketCounts: [] };
  const bucketCounts = [];
  for (const data of inputs) {
    const buckets = data[sign];
    if (!buckets) continue;
    const shift = data.scale - scale;
    for (let i = 0; i < buckets.bucketCounts.length; i++) {
      const count = buckets.bucketCounts[i];
      if (!(count > 0)) continue;
      const slot = ((buckets.offset + i) >> shift) - low;
      bucketCounts[slot] = (bucketCounts[slot] ?? 0) + count;
    }
  }
  for (let i = 0; i < bucketCounts.length; i++) bucketCounts[i] ??= 0;
  return { offset: low, bucketCounts };
}

/** Four significant digits: enough for a chart, and small in JSON. */
export function roundValue(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  if (value === 0) return 0;
  return Number(value.toPrecision(4));
}
