/**
 * Bucket index mapping of the OpenTelemetry base-2 exponential histogram:
 * base = 2^(2^-scale), and bucket `index` holds the values v with base^index < v <= base^(index+1).
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 */

/**
 * The coarsest scale OTLP allows: at -10 every double fits in two buckets.
 *
 * @example
 * mapToIndex(Number.MAX_VALUE, MIN_SCALE); // 0
 */
export const MIN_SCALE = -10;
/**
 * The finest scale OTLP allows, and where a histogram starts before it downscales.
 *
 * @example
 * new ExponentialHistogram(DEFAULT_MAX_BUCKETS, MAX_SCALE); // the default
 */
export const MAX_SCALE = 20;

const MIN_NORMAL_EXPONENT = -1022;
const EXPONENT_BIAS = 1023;
const SIGNIFICAND_HIGH_MASK = 0xfffff;
// Positive scales up to this one map through a lookup table; finer ones refine its buckets.
const TABLE_MAX_SCALE = 10;

// One shared scratch double, read as two 32-bit words. Typed arrays use the platform's byte
// order, so find which word holds the sign and exponent once.
const scratch = /* @__PURE__ */ new Float64Array(1);
const words = /* @__PURE__ */ new Uint32Array(scratch.buffer);
const HIGH = /* @__PURE__ */ highWordIndex();
const LOW = 1 - HIGH;

/** Which of a double's two 32-bit words holds its sign and exponent on this machine's byte order. */
function highWordIndex(): number {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
}

/**
 * Spec "Positive scale: use a lookup table": the top significand bits pick a slot narrower than
 * any bucket, so one comparison with the next boundary's significand (as two integer words)
 * settles the sub-bucket, with no logarithm. Slots are a quarter bucket or finer, so that
 * comparison rarely goes the unpredictable way. Built lazily, once per scale per process
 * (16 KB at scale 10).
 */
interface Table {
  slotShift: number;
  firstSubBucket: Uint16Array;
  boundaryHigh: Uint32Array;
  boundaryLow: Uint32Array;
}
const tables: (Table | undefined)[] = [];
/** 1 / lower boundary of each scale-10 sub-bucket, for the finer scales. */
let inverseBoundaries: Float64Array | undefined;

function buildTable(scale: number): Table {
  const perOctave = 1 << scale;
  const boundaryHigh = new Uint32Array(perOctave + 1);
  const boundaryLow = new Uint32Array(perOctave + 1);
  for (let j = 1; j < perOctave; j++) {
    scratch[0] = Math.pow(2, j / perOctave);
    boundaryHigh[j] = words[HIGH] & SIGNIFICAND_HIGH_MASK;
    boundaryLow[j] = words[LOW];
  }
  boundaryHigh[perOctave] = SIGNIFICAND_HIGH_MASK + 1; // 2.0: above every significand
  const slotBits = Math.min(scale + 4, 12);
  const slotShift = 20 - slotBits;
  const firstSubBucket = new Uint16Array(1 << slotBits);
  for (let slot = 0, j = 0; slot < firstSubBucket.length; slot++) {
    while (boundaryHigh[j + 1] < slot << slotShift) j++;
    firstSubBucket[slot] = j;
  }
  return (tables[scale] = { slotShift, firstSubBucket, boundaryHigh, boundaryLow });
}

function buildInverseBoundaries(): Float64Array {
  const perOctave = 1 << TABLE_MAX_SCALE;
  inverseBoundaries = new Float64Array(perOctave);
  for (let j = 0; j < perOctave; j++) inverseBoundaries[j] = Math.pow(2, -j / perOctave);
  return inverseBoundaries;
}

/** Which of the 2^scale sub-buckets of an octave a significand (not a power of two) falls in. */
function subBucket(table: Table, significand: number, low: number): number {
  const first = table.firstSubBucket[significand >>> table.slotShift];
  const boundary = table.boundaryHigh[first + 1];
  return significand > boundary || (significand === boundary && low > table.boundaryLow[first + 1]) ? first + 1 : first;
}

/**
 * The bucket index of a positive finite `magnitude` at `scale`.
 *
 * Exact at the boundaries a double can hold (powers of two); elsewhere the boundary is irrational
 * and only a value within an ulp or so of it can land in the neighbouring bucket.
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#producer-expectations
 *
 * @example
 * mapToIndex(2, 0);   // 0: bucket (1, 2]
 * mapToIndex(2.5, 0); // 1: bucket (2, 4]
 */
export function mapToIndex(magnitude: number, scale: number): number {
  scratch[0] = magnitude;
  const high = words[HIGH];
  const low = words[LOW];
  let exponent = (high >>> 20) - EXPONENT_BIAS;
  const significand = high & SIGNIFICAND_HIGH_MASK;
  let powerOfTwo = significand === 0 && low === 0;
  if (exponent < MIN_NORMAL_EXPONENT) {
    // Subnormals share the bucket of the smallest normal, as the OTel SDKs map them.
    exponent = MIN_NORMAL_EXPONENT;
    powerOfTwo = true;
  }
  // Spec "Scale zero: extract the exponent" / "Negative scale: extract and shift the exponent":
  // a power of two is the upper (inclusive) end of the bucket below it.
  if (scale <= 0) return (powerOfTwo ? exponent - 1 : exponent) >> -scale;
  if (powerOfTwo) return (exponent << scale) - 1;
  if (scale <= TABLE_MAX_SCALE) {
    return (exponent << scale) + subBucket(tables[scale] ?? buildTable(scale), significand, low);
  }
  // Finer scales: the scale-10 sub-bucket from its table, then the place inside it from
  // log2(1 + x) = (x - x²/2 + x³/3 - x⁴/4 …) / ln 2, where x < 0.00068 leaves a truncation error
  // below 1e-16 — an order faster than Math.log2, and never across a power of two.
  const coarse = subBucket(tables[TABLE_MAX_SCALE] ?? buildTable(TABLE_MAX_SCALE), significand, low);
  const normalised = 1 + significand * 2 ** -20 + low * 2 ** -52; // exact: the value's own bits
  const x = normalised * (inverseBoundaries ?? buildInverseBoundaries())[coarse] - 1;
  const finePerCoarse = 1 << (scale - TABLE_MAX_SCALE);
  const x2 = x * x; // the series is grouped to shorten its chain of dependent multiplications
  // LOG2E × 2^scale is exact, so every scale scales the same rounded log2(1 + x) and
  // index(scale - 1) === index(scale) >> 1 holds exactly. `| 0` truncates, which is floor here:
  // the only negatives (rounding just above a boundary) clamp to 0.
  const fine = ((x - 0.5 * x2 + x2 * x * (1 / 3 - 0.25 * x)) * (Math.LOG2E * (1 << scale))) | 0;
  const clamped = fine < 0 ? 0 : fine < finePerCoarse ? fine : finePerCoarse - 1;
  return (exponent << scale) + coarse * finePerCoarse + clamped;
}

/**
 * The lower (exclusive) boundary of bucket `index` at `scale`: base^index.
 *
 * @example
 * lowerBoundary(0, 0);  // 1
 * lowerBoundary(-1, 1); // 2^-0.5 ≈ 0.7071
 */
export function lowerBoundary(index: number, scale: number): number {
  if (scale <= 0) return Math.pow(2, index * Math.pow(2, -scale));
  return Math.pow(2, index / (1 << scale));
}
