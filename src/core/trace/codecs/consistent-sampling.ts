import type { PropagationContext } from '../../internal/propagation-context';

/**
 * OpenTelemetry's consistent probability sampling fields in `tracestate`: the rejection threshold
 * `th` and the explicit randomness `rv`, both 56-bit numbers written in hex
 * (https://opentelemetry.io/docs/specs/otel/trace/tracestate-probability-sampling/,
 * https://opentelemetry.io/docs/specs/otel/trace/tracestate-handling/). A span is kept when
 * `rv >= th`.
 *
 * isometer decides with `sample_rand < rate`. Both numbers are mapped onto the same 2^56 grid so
 * the two rules agree: `rv = 2^56 - 1 - floor(sample_rand * 2^56)` and
 * `th = 2^56 - floor(rate * 2^56)`, hence `rv >= th` ⇔ `floor(sample_rand * 2^56) < floor(rate * 2^56)`.
 * That is exactly `sample_rand < rate` whenever the two differ by more than 2^-56 (always for the
 * 6-decimal values Sentry and isometer send, and for every sample_rand when rate ≥ 1/16, whose
 * `rate * 2^56` is a whole number). The threshold is written exact (trailing zeros removed),
 * never rounded to fewer digits, since rounding would break that agreement.
 *
 * 56-bit numbers do not fit a double's 53-bit mantissa, so they are handled as two 28-bit halves.
 */

const HALF = 0x10000000; // 2^28
const HALF_MAX = HALF - 1;
const HEX_DIGITS_PER_HALF = 7;
const RANDOMNESS_PATTERN = /^[0-9a-f]{14}$/;
const THRESHOLD_PATTERN = /^[0-9a-f]{1,14}$/;

/** The `ot` entry's sub-keys this codec reads and writes, plus any others it keeps. */
/**
 * The `th` and `rv` isometer writes for a trace: `rv` always (the trace's `sample_rand`, or the
 * `rv` it was read from), `th` only when a known rate made the decision it agrees with
 * (tracestate-probability-sampling erases a threshold that does not).
 *
 * @example
 * ownOpenTelemetryEntry({ sampleRand: 0.25, sampleRate: 0.5 }, true); // { th: '8', rv: 'bfffffffffffff' }
 */
export function ownOpenTelemetryEntry(propagation: Pick<PropagationContext, 'sampleRand' | 'sampleRate' | 'randomness'>, sampled: boolean | undefined): { th?: string; rv?: string } {
  const rate = propagation.sampleRate;
  const th = sampled !== undefined && rate !== undefined && propagation.sampleRand < rate === sampled ? thresholdForRate(rate) : undefined;
  return { th, rv: propagation.randomness ?? randomnessForSampleRand(propagation.sampleRand) };
}

export interface OpenTelemetryTraceState {
  /** Rejection threshold, 1 to 14 lowercase hex digits. */
  th?: string;
  /** Explicit randomness, exactly 14 lowercase hex digits. */
  rv?: string;
  /** Other OpenTelemetry sub-keys, kept in order. */
  other: Array<readonly [string, string]>;
}

function hex7(value: number): string {
  return value.toString(16).padStart(HEX_DIGITS_PER_HALF, '0');
}

/** floor(x * 2^56) for x in [0, 1], as [high 28 bits, low 28 bits]. Exact: scaling by 2^k and taking fractional parts lose nothing. */
function toGrid(x: number): [number, number] {
  const scaled = x * HALF;
  const high = Math.floor(scaled);
  return [high, Math.floor((scaled - high) * HALF)];
}

/**
 * The `th` value for a sampling rate in (0, 1], or undefined for 0 (never sampling is not a
 * probability OpenTelemetry can express) and for anything that is not a rate.
 *
 * @example
 * thresholdForRate(1); // '0'
 * thresholdForRate(0.25); // 'c'
 * thresholdForRate(0.01); // 'fd70a3d70a3d71'
 */
export function thresholdForRate(rate: number): string | undefined {
  if (typeof rate !== 'number' || !(rate > 0 && rate <= 1)) return undefined;
  const [high, low] = toGrid(rate);
  // 2^56 - (high * 2^28 + low), borrowing from the high half when the low half is not zero.
  const thresholdHigh = low === 0 ? HALF - high : HALF_MAX - high;
  const thresholdLow = low === 0 ? 0 : HALF - low;
  return (hex7(thresholdHigh) + hex7(thresholdLow)).replace(/0+$/, '') || '0';
}

/**
 * The sampling rate a `th` value stands for: (2^56 − threshold) / 2^56. Undefined when `th` is
 * not 1 to 14 hex digits.
 *
 * @example
 * rateFromThreshold('fd70a4'); // 0.009999990463256836
 */
export function rateFromThreshold(th: string | undefined): number | undefined {
  if (typeof th !== 'string' || !THRESHOLD_PATTERN.test(th)) return undefined;
  const digits = th.padEnd(14, '0');
  const high = parseInt(digits.slice(0, HEX_DIGITS_PER_HALF), 16);
  const low = parseInt(digits.slice(HEX_DIGITS_PER_HALF), 16);
  return (HALF - high) / HALF - low / (HALF * HALF);
}

/**
 * The `rv` value for a `sample_rand` in [0, 1): 14 hex digits, larger for smaller `sample_rand`,
 * so that `rv >= thresholdForRate(rate)` agrees with `sample_rand < rate`.
 *
 * @example
 * randomnessForSampleRand(0.5); // '7fffffffffffff'
 */
export function randomnessForSampleRand(sampleRand: number): string | undefined {
  if (typeof sampleRand !== 'number' || !(sampleRand >= 0 && sampleRand < 1)) return undefined;
  const [high, low] = toGrid(sampleRand);
  return hex7(HALF_MAX - high) + hex7(HALF_MAX - low);
}

/**
 * The `sample_rand` an incoming `rv` stands for: the largest double not above
 * (2^56 − 1 − rv) / 2^56. Rounding down keeps `sample_rand < rate` ⇔ `rv >= th` exact for every
 * rate. Undefined when `rv` is not 14 hex digits.
 *
 * @example
 * sampleRandFromRandomness('7fffffffffffff'); // 0.5
 */
export function sampleRandFromRandomness(rv: string | undefined): number | undefined {
  if (typeof rv !== 'string' || !RANDOMNESS_PATTERN.test(rv)) return undefined;
  const high = HALF_MAX - parseInt(rv.slice(0, HEX_DIGITS_PER_HALF), 16);
  const low = HALF_MAX - parseInt(rv.slice(HEX_DIGITS_PER_HALF), 16);
  const top = high / HALF;
  const bottom = low / (HALF * HALF);
  const sum = top + bottom;
  // `sum - top` is exact; when rounding went up, step one double down.
  return sum - top > bottom ? previousDouble(sum) : sum;
}

const scratch = /* @__PURE__ */ new DataView(/* @__PURE__ */ new ArrayBuffer(8));

/** The next double below a positive `value`. */
function previousDouble(value: number): number {
  scratch.setFloat64(0, value);
  const low = scratch.getUint32(4);
  if (low === 0) scratch.setUint32(0, scratch.getUint32(0) - 1);
  scratch.setUint32(4, (low - 1) >>> 0);
  return scratch.getFloat64(0);
}

/**
 * Reads the value of a `tracestate` `ot` entry (`th:c;rv:a1b2c3d4e5f607;…`). Malformed `th` or
 * `rv` sub-values are left out; other well-formed sub-keys are kept in order. Never throws.
 *
 * @example
 * parseOpenTelemetryTraceState('th:c;rv:a1b2c3d4e5f607'); // { th: 'c', rv: 'a1b2c3d4e5f607', other: [] }
 */
export function parseOpenTelemetryTraceState(value: string | undefined): OpenTelemetryTraceState {
  const result: OpenTelemetryTraceState = { other: [] };
  if (typeof value !== 'string') return result;
  for (const part of value.split(';')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon);
    const subValue = part.slice(colon + 1);
    // tracestate-handling: key = lcalpha *(lcalpha / DIGIT); value = *(ALPHA / DIGIT / "." / "_" / "-").
    if (!/^[a-z][a-z0-9]*$/.test(key) || !/^[A-Za-z0-9._-]*$/.test(subValue)) continue;
    if (key === 'th') {
      if (THRESHOLD_PATTERN.test(subValue)) result.th = subValue;
    } else if (key === 'rv') {
      if (RANDOMNESS_PATTERN.test(subValue)) result.rv = subValue;
    } else if (!result.other.some(([existing]) => existing === key)) {
      result.other.push([key, subValue]);
    }
  }
  return result;
}

/**
 * Writes an `ot` entry value: `th` and `rv` first, then the other sub-keys; '' when empty. The
 * whole value stays within the 256 characters a tracestate value may hold (other sub-keys that
 * would pass it are left out).
 *
 * @example
 * formatOpenTelemetryTraceState({ th: 'c', rv: 'a1b2c3d4e5f607', other: [] }); // 'th:c;rv:a1b2c3d4e5f607'
 */
export function formatOpenTelemetryTraceState(state: OpenTelemetryTraceState): string {
  const parts: string[] = [];
  if (state.th !== undefined) parts.push(`th:${state.th}`);
  if (state.rv !== undefined) parts.push(`rv:${state.rv}`);
  let length = parts.join(';').length;
  for (const [key, value] of state.other) {
    const part = `${key}:${value}`;
    if (length + part.length + 1 > 256) continue;
    length += part.length + (parts.length > 0 ? 1 : 0);
    parts.push(part);
  }
  return parts.join(';');
}
