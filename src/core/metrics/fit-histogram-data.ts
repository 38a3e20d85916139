import type { ExponentialBuckets, ExponentialHistogramData } from './exponential-histogram';
import { MIN_SCALE } from './exponential-mapping';

/**
 * The histogram at the finest scale whose populated buckets (both signs) number at most
 * `maxBuckets`: bucket i at scale s lies inside bucket i >> 1 at scale s - 1, so each downscale
 * step merges neighbours exactly. Data that fits is returned as is. Used to send no more buckets
 * than a backend (or the wire budget) wants while the SDK keeps its own, finer histogram.
 *
 * @example
 * fitHistogramData(point.histogram, 160); // 3 decades: scale 6 (640 buckets) → scale 4 (160)
 */
export function fitHistogramData(data: ExponentialHistogramData, maxBuckets: number): ExponentialHistogramData {
  const shift = fitShift(data, maxBuckets);
  if (shift === 0) return data;
  return {
    scale: data.scale - shift,
    zeroCount: data.zeroCount,
    positive: merge(data.positive, shift),
    negative: merge(data.negative, shift),
    count: data.count,
    sum: data.sum,
    min: data.min,
    max: data.max,
  };
}

/**
 * How many scales `fitHistogramData` lowers `data` by: 0 when it fits. For an encoder that merges
 * neighbouring buckets as it writes them (`index >> shift`), with no copy of the counts.
 *
 * @example
 * const shift = fitShift(point.histogram, 160); // write bucket i of the data into bucket (offset + i) >> shift
 */
export function fitShift(data: ExponentialHistogramData, maxBuckets: number): number {
  let shift = 0;
  while (data.scale - shift > MIN_SCALE && span(data.positive, shift) + span(data.negative, shift) > maxBuckets) shift++;
  return shift;
}

function span(buckets: ExponentialBuckets, shift: number): number {
  const length = buckets.bucketCounts.length;
  return length === 0 ? 0 : ((buckets.offset + length - 1) >> shift) - (buckets.offset >> shift) + 1;
}

function merge(buckets: ExponentialBuckets, shift: number): ExponentialBuckets {
  if (buckets.bucketCounts.length === 0) return buckets;
  const offset = buckets.offset >> shift;
  const counts = new Array<number>(span(buckets, shift)).fill(0);
  for (let i = 0; i < buckets.bucketCounts.length; i++) counts[((buckets.offset + i) >> shift) - offset] += buckets.bucketCounts[i];
  return { offset, bucketCounts: counts };
}
