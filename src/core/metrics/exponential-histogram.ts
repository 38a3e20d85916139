import { MAX_SCALE, MIN_SCALE, lowerBoundary, mapToIndex } from './exponential-mapping';
import { Buckets, type ExponentialBuckets } from './histogram-buckets';

export type { ExponentialBuckets };

export { MAX_SCALE };

/**
 * A histogram's state in the OTLP ExponentialHistogramDataPoint shape; `min`/`max` are NaN when empty.
 *
 * @example
 * const { scale, positive, count } = histogram.toData();
 */
export interface ExponentialHistogramData<Counts extends ArrayLike<number> = ArrayLike<number>> {
  scale: number;
  zeroCount: number;
  positive: ExponentialBuckets<Counts>;
  negative: ExponentialBuckets<Counts>;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * Default bucket budget, shared by the positive and negative ranges: 12 octaves at scale 6
 * (3.6 decades, e.g. 0.5 ms to 2 s). Scale 6 is the coarsest whose buckets keep every quantile
 * within 1% (worst case 0.54%; scale 5 reaches 1.08%). Counts start one byte wide, so a full
 * budget of modest counts is 768 bytes.
 *
 * @example
 * new ExponentialHistogram(DEFAULT_MAX_BUCKETS / 2); // half the memory, one scale coarser
 */
export const DEFAULT_MAX_BUCKETS = 768;

// Positive and negative each need two buckets at MIN_SCALE.
const MIN_MAX_BUCKETS = 4;

/**
 * A base-2 exponential histogram (the OTLP ExponentialHistogram mapping) with exact count, sum,
 * min and max. It starts at `maxScale` and, when a value would need more than `maxBuckets`
 * buckets (positive and negative together), lowers the scale by the least amount that fits.
 *
 * Unlike the OTel SDK, whose `max_size` applies to each sign, the budget is shared, so storage
 * never exceeds `maxBuckets` counts (one byte each until a count passes 255, see Buckets); data
 * with both signs gets a coarser scale.
 *
 * @example
 * const histogram = new ExponentialHistogram();
 * for (const ms of [12, 15, 480]) histogram.record(ms);
 * histogram.quantile(0.5); // ≈ 15
 * histogram.toData();      // { scale, zeroCount, positive: { offset, bucketCounts }, ... }
 */
export class ExponentialHistogram {
  private readonly maxBuckets: number;
  private readonly positive = new Buckets();
  private readonly negative = new Buckets();
  private currentScale: number;
  private recorded = 0;
  private total = 0;
  private zeros = 0;
  private lowest = Infinity;
  private highest = -Infinity;

  constructor(maxBuckets = DEFAULT_MAX_BUCKETS, maxScale = MAX_SCALE) {
    this.maxBuckets = Math.max(MIN_MAX_BUCKETS, Math.floor(maxBuckets)) || DEFAULT_MAX_BUCKETS;
    const scale = Math.floor(maxScale);
    this.currentScale = scale === scale ? Math.min(MAX_SCALE, Math.max(MIN_SCALE, scale)) : MAX_SCALE;
  }

  get count(): number {
    return this.recorded;
  }
  get sum(): number {
    return this.total;
  }
  /** NaN while empty, like `max`. */
  get min(): number {
    return this.recorded === 0 ? NaN : this.lowest;
  }
  get max(): number {
    return this.recorded === 0 ? NaN : this.highest;
  }
  get scale(): number {
    return this.currentScale;
  }
  get zeroCount(): number {
    return this.zeros;
  }

  /** Adds one finite value; NaN and ±Infinity are ignored. */
  record(value: number): void {
    if (value - value !== 0) return;
    if (value > 0) this.addAt(this.positive, this.negative, mapToIndex(value, this.currentScale), 1);
    else if (value < 0) this.addAt(this.negative, this.positive, mapToIndex(-value, this.currentScale), 1);
    else this.zeros++;
    this.recorded++;
    this.total += value;
    if (value < this.lowest) this.lowest = value;
    if (value > this.highest) this.highest = value;
  }

  /**
   * The nearest-rank quantile: an estimate of the smallest recorded value with at least
   * q × count values at or below it. Within 0.54% of it at scale ≥ 6. NaN when empty.
   */
  quantile(q: number): number {
    if (this.recorded === 0 || q !== q) return NaN;
    const wanted = Math.min(1, Math.max(0, q)) * this.recorded;
    // Shave a few ulps so 0.99 × 100 (99.00000000000001) is rank 99, not 100.
    const rank = Math.ceil(wanted - wanted * 4 * Number.EPSILON);
    if (rank <= 1) return this.lowest;
    if (rank >= this.recorded) return this.highest;
    let seen = 0;
    const { negative, positive } = this;
    for (let index = negative.high; index >= negative.low; index--) {
      seen += negative.counts[index - negative.offset];
      if (seen >= rank) return this.estimate(index, -1);
    }
    seen += this.zeros;
    if (seen >= rank) return 0;
    for (let index = positive.low; index <= positive.high; index++) {
      seen += positive.counts[index - positive.offset];
      if (seen >= rank) return this.estimate(index, 1);
    }
    return this.highest; // only when a saturated bucket under-counts
  }

  /** The OTLP data point with plain-array counts, trimmed to their first and last non-zero count. */
  toData(): ExponentialHistogramData<number[]> {
    return {
      scale: this.currentScale,
      zeroCount: this.zeros,
      positive: this.positive.toData(),
      negative: this.negative.toData(),
      count: this.recorded,
      sum: this.total,
      min: this.min,
      max: this.max,
    };
  }

  /**
   * The same with the counts as typed-array copies (Uint8Array until a count passes 255): what
   * exported points carry, since a flush of thousands of distributions would otherwise allocate
   * eight bytes a bucket and stall on the garbage collector.
   *
   * @example
   * const data = histogram.snapshot();
   * for (let i = 0; i < data.positive.bucketCounts.length; i++) total += data.positive.bucketCounts[i];
   */
  snapshot(): ExponentialHistogramData {
    return {
      scale: this.currentScale,
      zeroCount: this.zeros,
      positive: this.positive.snapshot(),
      negative: this.negative.snapshot(),
      count: this.recorded,
      sum: this.total,
      min: this.min,
      max: this.max,
    };
  }

  /**
   * The same as `snapshot()` with the counts as views of this histogram's own, no copy: for a
   * histogram nothing records into any more, such as a series whose interval was handed over
   * (a flush of thousands of distributions then allocates no counts at all).
   *
   * @example
   * const point = { ...fields, histogram: finishedHistogram.finalData() };
   */
  finalData(): ExponentialHistogramData {
    return {
      scale: this.currentScale,
      zeroCount: this.zeros,
      positive: this.positive.view(),
      negative: this.negative.view(),
      count: this.recorded,
      sum: this.total,
      min: this.min,
      max: this.max,
    };
  }

  /** Bytes held by the bucket counts (object overhead aside); at most `maxBuckets` × the count width. */
  byteSize(): number {
    return this.positive.counts.byteLength + this.negative.counts.byteLength;
  }

  /**
   * Rebuilds a histogram from exported data, downscaling if it needs more than `maxBuckets`
   * (default DEFAULT_MAX_BUCKETS) buckets. Count, sum, min and max are taken as given.
   *
   * @example
   * const copy = ExponentialHistogram.fromData(histogram.toData());
   * copy.quantile(0.99) === histogram.quantile(0.99); // true when the data fits the budget
   */
  static fromData(data: ExponentialHistogramData, maxBuckets = DEFAULT_MAX_BUCKETS): ExponentialHistogram {
    const valid = Number.isInteger(data.scale) && data.scale >= MIN_SCALE && data.scale <= MAX_SCALE;
    const histogram = new ExponentialHistogram(maxBuckets, data.scale);
    if (!valid) return histogram; // OTLP allows no other scale, so the buckets cannot be placed
    histogram.load(histogram.positive, histogram.negative, data.positive, data.scale);
    histogram.load(histogram.negative, histogram.positive, data.negative, data.scale);
    histogram.zeros = data.zeroCount;
    histogram.recorded = data.count;
    histogram.total = data.sum;
    if (data.count > 0) {
      histogram.lowest = data.min;
      histogram.highest = data.max;
    }
    return histogram;
  }

  /**
   * Adds another histogram's data to this one, as if its values had been recorded here: the
   * coarser scale of the two wins (bucket i at scale s lies inside bucket i >> 1 at scale s - 1, so
   * merging is exact), then the budget may lower it further. Count, sum, min and max combine exactly.
   * Data with an invalid scale is ignored, as `fromData` ignores it.
   *
   * @example
   * const total = ExponentialHistogram.fromData(first);
   * total.merge(second); // total.count === first.count + second.count
   */
  merge(data: ExponentialHistogramData): void {
    if (!Number.isInteger(data.scale) || data.scale < MIN_SCALE || data.scale > MAX_SCALE || !(data.count > 0)) return;
    if (data.scale < this.currentScale) {
      const shift = this.currentScale - data.scale;
      this.positive.downscale(shift);
      this.negative.downscale(shift);
      this.currentScale = data.scale;
    }
    this.load(this.positive, this.negative, data.positive, data.scale);
    this.load(this.negative, this.positive, data.negative, data.scale);
    this.zeros += data.zeroCount;
    this.recorded += data.count;
    this.total += data.sum;
    if (data.min < this.lowest) this.lowest = data.min;
    if (data.max > this.highest) this.highest = data.max;
  }

  private load(range: Buckets, other: Buckets, buckets: ExponentialBuckets, scale: number): void {
    const { offset, bucketCounts } = buckets;
    for (let i = 0; i < bucketCounts.length; i++) {
      const count = bucketCounts[i];
      if (count > 0) this.addAt(range, other, (offset + i) >> (scale - this.currentScale), count);
    }
  }

  private addAt(range: Buckets, other: Buckets, index: number, n: number): void {
    if (index < range.offset || index >= range.offset + range.counts.length) {
      index = this.makeRoom(range, other, index);
    }
    range.add(index, n);
  }

  /** The slow path: downscale if the new index does not fit the budget, then grow or recentre. */
  private makeRoom(range: Buckets, other: Buckets, index: number): number {
    let low = Math.min(range.low, index);
    let high = Math.max(range.high, index);
    let shift = 0;
    while (this.currentScale - shift > MIN_SCALE && (high >> shift) - (low >> shift) + 1 + other.span(shift) > this.maxBuckets) {
      shift++;
    }
    if (shift > 0) {
      // Bucket i at scale s lies inside bucket i >> 1 at scale s - 1, so merging is exact.
      range.downscale(shift);
      other.downscale(shift);
      this.currentScale -= shift;
      index >>= shift;
      low >>= shift;
      high >>= shift;
    }
    if (high - low + 1 > this.maxBuckets - other.counts.length) other.compact();
    range.fit(low, high, this.maxBuckets - other.counts.length);
    return index;
  }

  /** A point in bucket `index` (signed by `sign`) with the least worst-case relative error. */
  private estimate(index: number, sign: 1 | -1): number {
    let lower = lowerBoundary(index, this.currentScale);
    let upper = lowerBoundary(index + 1, this.currentScale);
    // Narrow the bucket to [min, max] in magnitude: the end buckets are often only partly used.
    const smallest = sign > 0 ? this.lowest : -this.highest;
    const largest = sign > 0 ? this.highest : -this.lowest;
    if (smallest > lower) lower = smallest;
    if (largest < upper) upper = largest;
    // For v in [lower, upper] the relative error |x - v| / v is worst at the ends, and equal there
    // when x is their harmonic mean, 2·lower·upper / (lower + upper) (written to avoid overflow).
    const magnitude = (2 * lower) / (lower / upper + 1);
    return Math.min(this.highest, Math.max(this.lowest, sign * magnitude));
  }
}
