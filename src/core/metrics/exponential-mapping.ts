/**
 * Bucket index mapping of the OpenTelemetry base-2 exponential histogram:
 * base = 2^(2^-scale), and bucket `index` holds the values v with base^index < v <= base^(index+1).
 * https://opentelemetry.io/docs/specs/otel/metrics/data-model/#exponentialhistogram
 */

/** The coarsest scale OTLP allows: at -10 every double fits in two buckets. */
export const MIN_SCALE = -10;
/** The finest scale OTLP allows, and where a histogram starts before it downscales. */
export const MAX_SCALE = 20;

const MIN_NORMAL_EXPONENT = -1022;
const EXPONENT_BIAS = 1023;
const SIGNIFICAND_HIGH_MASK = 0xfffff;
// Positive scales up to this one map through a lookup table; finer ones take a logarithm.
const TABLE_MAX_SCALE = 10;

// One shared scratch double, read as two 32-bit words. Typed arrays use the platform's byte
// order, so find which word holds the sign and exponent once.
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * Spec "Positive scale: use a lookup table": the top significand bits pick a slot narrower than
 * any bucket, so one comparison with the next boundary's significand (as two integer words)
 * settles the sub-bucket — no logarithm, and no float rebuilt from words, which stalls
 * store-to-load forwarding. Slots are a quarter bucket or finer (up to 4096 of them), so that
 * comparison rarely goes the unpredictable way. Built once per scale per process; 16 KB at scale 10.
 */
interface Table {
  slotShift: number;
  firstSubBucket: Uint16Array;
  boundaryHigh: Uint32Array;
  boundaryLow: Uint32Array;
}
const tables: (Table | undefined)[] = [];

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
    const table = tables[scale] ?? buildTable(scale);
    let subBucket = table.firstSubBucket[significand >>> table.slotShift];
    const boundary = table.boundaryHigh[subBucket + 1];
    if (significand > boundary || (significand === boundary && low > table.boundaryLow[subBucket + 1])) subBucket++;
    return (exponent << scale) + subBucket;
  }
  // Spec "All scales: use the logarithm function", kept inside the octave the exponent bits give,
  // so rounding cannot carry a value across a power of two.
  const first = exponent << scale;
  const index = Math.floor(Math.log2(magnitude) * (1 << scale));
  const last = first + (1 << scale) - 1;
  return index < first ? first : index > last ? last : index;
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
