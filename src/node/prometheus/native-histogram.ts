import type { ExponentialHistogramData } from '../../core/metrics/exponential-histogram';

/** A run of buckets: `offset` from the end of the previous span (from 0 for the first), `length` buckets. */
export interface BucketSpan {
  offset: number;
  length: number;
}

/** A Prometheus native (sparse) histogram's buckets, as the protobuf exposition format carries them. */
export interface NativeHistogram {
  schema: number;
  zeroCount: number;
  positiveSpans: BucketSpan[];
  /** Each bucket's count minus the previous bucket's (the first minus 0). */
  positiveDeltas: number[];
  negativeSpans: BucketSpan[];
  negativeDeltas: number[];
}

/** The finest schema Prometheus takes (https://prometheus.io/docs/specs/native_histograms/#schema). */
export const MAX_NATIVE_SCHEMA = 8;
// A gap of up to this many empty buckets is cheaper to send as zeros than as a new span.
const MAX_GAP = 2;

/**
 * An exponential histogram as a Prometheus native histogram. Both use base 2^(2^-scale); a
 * native schema is the OTLP scale, lowered to 8 when finer (buckets merge exactly). OTLP bucket
 * i is (base^i, base^(i+1)], Prometheus bucket i is (base^(i-1), base^i], so indexes shift by one.
 * The zero bucket holds exact zeros only (threshold 0), as isometer records them.
 *
 * @example
 * nativeHistogram({ scale: 0, positive: { offset: 3, bucketCounts: [2, 0, 5] }, … });
 * // → { schema: 0, positiveSpans: [{ offset: 4, length: 3 }], positiveDeltas: [2, -2, 5], … }
 */
export function nativeHistogram(histogram: ExponentialHistogramData): NativeHistogram {
  const schema = Math.min(histogram.scale, MAX_NATIVE_SCHEMA);
  const shift = histogram.scale - schema;
  const positive = sparse(histogram.positive.offset, histogram.positive.bucketCounts, shift);
  const negative = sparse(histogram.negative.offset, histogram.negative.bucketCounts, shift);
  return { schema, zeroCount: histogram.zeroCount, positiveSpans: positive.spans, positiveDeltas: positive.deltas, negativeSpans: negative.spans, negativeDeltas: negative.deltas };
}

function sparse(offset: number, counts: ArrayLike<number>, shift: number): { spans: BucketSpan[]; deltas: number[] } {
  // Merge into the target schema, keyed by Prometheus index, ascending.
  const merged: Array<[number, number]> = [];
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const index = ((offset + i) >> shift) + 1;
    const last = merged[merged.length - 1];
    if (last !== undefined && last[0] === index) last[1] += counts[i];
    else merged.push([index, counts[i]]);
  }
  const spans: BucketSpan[] = [];
  const deltas: number[] = [];
  let previousCount = 0;
  let nextIndex = 0;
  for (const [index, count] of merged) {
    const gap = index - nextIndex;
    const span = spans[spans.length - 1];
    if (span !== undefined && gap <= MAX_GAP) {
      for (let k = 0; k < gap; k++) {
        deltas.push(0 - previousCount);
        previousCount = 0;
      }
      span.length += gap + 1;
    } else {
      spans.push({ offset: span === undefined ? index : gap, length: 1 });
    }
    deltas.push(count - previousCount);
    previousCount = count;
    nextIndex = index + 1;
  }
  return { spans, deltas };
}
