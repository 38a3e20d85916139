// The widest counts are Uint32 and saturate here; reaching it within one flush interval would
// take minutes of one core recording into a single bucket.
const MAX_COUNT = 0xffffffff;
/** Fewest slots a first allocation gets: a handful of nearby values fit without moving. */
const MIN_SLOTS = 8;

/** Bucket counts at one of three widths. */
export type CountArray = Uint8Array | Uint16Array | Uint32Array;
/**
 * One sign's buckets as OTLP carries them: `bucketCounts[i]` counts bucket `offset + i`, over the
 * populated range only (first to last non-zero count). Exported points carry the counts as a
 * compact typed array (read them by index and `length`); `toData()` gives a plain array.
 *
 * @example
 * const buckets: ExponentialBuckets = { offset: 5, bucketCounts: [2, 0, 1] }; // buckets 5 and 7
 */
export interface ExponentialBuckets<Counts extends ArrayLike<number> = ArrayLike<number>> {
  offset: number;
  bucketCounts: Counts;
}

/** The shared empty counts of a sign with no values. */
export const EMPTY_COUNTS: CountArray = /* @__PURE__ */ new Uint8Array(0);

/** The next wider array for counts that outgrew `counts` (one byte → two → four). */
function widen(counts: CountArray, length: number): CountArray {
  return counts.BYTES_PER_ELEMENT === 1 ? new Uint16Array(length) : new Uint32Array(length);
}

/** An empty array as wide as `counts`. */
function sameWidth(counts: CountArray, length: number): CountArray {
  return counts.BYTES_PER_ELEMENT === 1 ? new Uint8Array(length) : counts.BYTES_PER_ELEMENT === 2 ? new Uint16Array(length) : new Uint32Array(length);
}

/**
 * Counts for one sign over the populated index range only (plus a quarter of slack, so a range
 * that creeps outwards does not reallocate on every value). Counts start as bytes and widen to
 * 16 and then 32 bits only when one of them needs it: most series of an interval hold a few
 * hundred values, so one byte a bucket is the common case.
 *
 * @example
 * const buckets = new Buckets();
 * buckets.fit(10, 12, 768);
 * buckets.add(11, 1);
 * buckets.toData(); // { offset: 11, bucketCounts: [1] }
 */
export class Buckets {
  counts: CountArray = EMPTY_COUNTS;
  /** The largest count `counts` can hold. */
  limit = 0xff;
  /** The bucket index that `counts[0]` holds. */
  offset = 0;
  /** Lowest and highest bucket index with a count; `high < low` while empty. */
  low = 0x7fffffff;
  high = -0x80000000;

  span(shift: number): number {
    return this.high < this.low ? 0 : (this.high >> shift) - (this.low >> shift) + 1;
  }

  add(index: number, n: number): void {
    const slot = index - this.offset;
    const count = this.counts[slot] + n;
    if (count > this.limit) this.store(slot, count);
    else this.counts[slot] = count;
    if (index < this.low) this.low = index;
    if (index > this.high) this.high = index;
  }

  /** Stores a count too large for the current width: widens first, saturating at MAX_COUNT. */
  private store(slot: number, count: number): void {
    while (count > this.limit && this.limit < MAX_COUNT) {
      const wider = widen(this.counts, this.counts.length);
      wider.set(this.counts);
      this.counts = wider;
      this.limit = wider.BYTES_PER_ELEMENT === 2 ? 0xffff : MAX_COUNT;
    }
    this.counts[slot] = count < MAX_COUNT ? count : MAX_COUNT;
  }

  /** Merges each run of 2^shift buckets into one, in place. */
  downscale(shift: number): void {
    if (this.high < this.low) return;
    const oldOffset = this.offset;
    // Keeping the lowest bucket in its slot means every bucket moves down or stays, so an
    // ascending pass never overwrites a count it has yet to read.
    const offset = (this.low >> shift) - (this.low - oldOffset);
    for (let index = this.low; index <= this.high; index++) {
      const count = this.counts[index - oldOffset];
      if (count === 0) continue;
      this.counts[index - oldOffset] = 0;
      const slot = (index >> shift) - offset;
      const merged = this.counts[slot] + count;
      if (merged > this.limit) this.store(slot, merged);
      else this.counts[slot] = merged;
    }
    this.offset = offset;
    this.low >>= shift;
    this.high >>= shift;
  }

  /** Makes indexes `low..high` addressable with at most `limit` slots (the caller checked they fit). */
  fit(low: number, high: number, limit: number): void {
    if (low >= this.offset && high < this.offset + this.counts.length) return;
    const need = high - low + 1;
    let counts = this.counts;
    if (need > counts.length) {
      counts = sameWidth(counts, Math.min(limit, Math.max(need + (need >> 2), MIN_SLOTS)));
    }
    // Centre the range so it can widen either way before the next move.
    const offset = low - ((counts.length - need) >> 1);
    if (this.high >= this.low) {
      const from = this.low - this.offset;
      const to = this.high - this.offset + 1;
      const at = this.low - offset;
      if (counts === this.counts) {
        counts.copyWithin(at, from, to);
        counts.fill(0, 0, at);
        counts.fill(0, at + to - from);
      } else {
        counts.set(this.counts.subarray(from, to), at);
      }
    }
    this.counts = counts;
    this.offset = offset;
  }

  /** Shrinks storage to the used range, to hand the spare capacity to the other sign. */
  compact(): void {
    if (this.high < this.low) {
      this.counts = EMPTY_COUNTS;
      this.limit = 0xff;
    } else if (this.high - this.low + 1 < this.counts.length) {
      this.counts = this.counts.slice(this.low - this.offset, this.high - this.offset + 1);
      this.offset = this.low;
    }
  }

  toData(): ExponentialBuckets<number[]> {
    if (this.high < this.low) return { offset: 0, bucketCounts: [] };
    const from = this.low - this.offset;
    const length = this.high - this.low + 1;
    // A literal array filled in a loop: Array.from over a typed array is several times slower.
    const bucketCounts = new Array<number>(length);
    for (let i = 0; i < length; i++) bucketCounts[i] = this.counts[from + i];
    return { offset: this.low, bucketCounts };
  }

  /** The populated range as a view of the counts, no copy: only for buckets nothing adds to any more. */
  view(): ExponentialBuckets {
    if (this.high < this.low) return { offset: 0, bucketCounts: EMPTY_COUNTS };
    const from = this.low - this.offset;
    return { offset: this.low, bucketCounts: this.counts.subarray(from, from + this.high - this.low + 1) };
  }

  /** The populated range as a copy at the counts' own width: an eighth of a number[] for byte counts. */
  snapshot(): ExponentialBuckets {
    if (this.high < this.low) return { offset: 0, bucketCounts: EMPTY_COUNTS };
    const from = this.low - this.offset;
    return { offset: this.low, bucketCounts: this.counts.slice(from, from + this.high - this.low + 1) };
  }
}
