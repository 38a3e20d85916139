import type { OtlpUint64 } from './otlp-json';

/**
 * Epoch milliseconds as OTLP's `fixed64` nanoseconds, in decimal: past 2^53 a JS number cannot
 * hold nanoseconds since 1970 exactly. The fraction of a millisecond is kept (a double holds
 * today's epoch milliseconds to about a quarter of a microsecond).
 *
 * @example
 * toUnixNano(1700000000000.5); // → '1700000000000500000'
 */
export function toUnixNano(epochMs: number): OtlpUint64 {
  if (!Number.isFinite(epochMs) || epochMs < 0) return '0';
  let wholeMs = Math.floor(epochMs);
  let nanos = Math.round((epochMs - wholeMs) * 1e6);
  if (nanos >= 1e6) {
    wholeMs += 1;
    nanos -= 1e6;
  }
  // Digits side by side rather than BigInt arithmetic: three BigInts a timestamp were a visible
  // share of a page's flush (two timestamps a data point, run mostly by the interpreter there).
  if (wholeMs === 0) return String(nanos);
  const fraction = String(nanos);
  return `${wholeMs}${'000000'.slice(fraction.length)}${fraction}`;
}
