import { formatStatsdNumber } from './statsd-number';

// Steps a positive double to its neighbours by moving its bit pattern, which orders positive
// doubles the way their values are ordered.
const scratch = new Float64Array(1);
const bits = new BigInt64Array(scratch.buffer);

/**
 * The `@rate` that makes a daemon count one received value as `count` values, or undefined when
 * `count` is 1 (no rate is sent).
 *
 * Daemons weight a value by `1 / rate` in doubles: the reference statsd adds it to the timer
 * count, the Datadog Agent's sketch and Telegraf truncate it to an integer
 * (datadog-agent pkg/quantile/agent.go `uint(1 / sampleRate)`). `1 / (1 / k)` is not always `k`
 * again (for k = 49 it is 49.00000000000001 or 48.99999999999999), so this picks, among the
 * doubles next to 1/k, one whose reciprocal is exactly `count`, or else the one whose reciprocal
 * is the smallest value above it — never below, so truncating daemons count exactly `count`, and
 * summing ones are off by at most one part in 10^15. The result is printed in plain decimal.
 *
 * @example
 * sampleRateForCount(4);  // '0.25'
 * sampleRateForCount(49); // a decimal r with 1 / r ≥ 49 and 1 / r − 49 < 49 × 1e-15
 * sampleRateForCount(1);  // undefined
 */
export function sampleRateForCount(count: number): string | undefined {
  if (!(count > 1) || !Number.isFinite(count)) return undefined;
  const nearest = 1 / count;
  let best = nearest;
  let bestWeight = Infinity;
  // The candidate is always within one step of 1/count; two give a margin (the tests sweep every
  // count to 10^6 and random ones up to 2^32).
  for (let step = -2; step <= 2; step++) {
    const rate = neighbour(nearest, step);
    const weight = 1 / rate;
    if (weight === count) return formatStatsdNumber(rate);
    if (weight > count && weight < bestWeight) {
      best = rate;
      bestWeight = weight;
    }
  }
  return formatStatsdNumber(best);
}

function neighbour(value: number, steps: number): number {
  scratch[0] = value;
  bits[0] += BigInt(steps);
  return scratch[0];
}
