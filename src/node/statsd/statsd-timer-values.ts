import type { DistributionPoint } from '../../core/metrics/types';
import { histogramValues, type WeightedValue } from '../../core/metrics/histogram-values';
import { sampleRateForCount } from './statsd-sample-rate';

/** The reference daemon's default `percentThreshold` (statsd exampleConfig.js). */
export const DEFAULT_PERCENT_THRESHOLDS: readonly number[] = [90];

/** At most this many timer values per series per interval in plain-StatsD mode (about 4 datagrams). */
export const DEFAULT_MAX_TIMER_VALUES = 100;

/**
 * The values to send a plain StatsD daemon for one distribution, so that the figures the daemon
 * computes itself come out right. The reference daemon (statsd lib/process_metrics.js) weights
 * only its `count` by `1/rate`; `mean`, `median`, `upper_N` and `mean_N` come from the received
 * values as if each stood for one. So the values must be evenly spaced in rank, each standing for
 * an equal share of the recorded values:
 *
 * - Up to `maxValues` values: with `count` recorded values or fewer, one value per recorded value
 *   (the histogram's, min and max exact); above that, each value is the mean of its equal share of
 *   the ranks, so the daemon's mean is the recorded mean.
 * - The shares are cut at every threshold's rank, `round(p% × count)`, the rank the daemon would
 *   cut at had it received every value, and the last value below the cut is that rank's own value:
 *   the daemon's `upper_p` and `mean_p` are then those of the recorded values.
 * - Each value carries an integer weight as its rate (`@1/w`); the weights add up to the recorded
 *   count and are picked so that `1/rate` is exactly `w` in doubles, so the daemon's count is exact.
 *
 * Values are within the histogram's relative error (0.54% at scale 6) of what they stand for.
 *
 * @example
 * statsdTimerValues(point, 100, [90]); // → [{ value: 10, count: 2 }, …, { value: 100, count: 2 }] (100 entries for 200 values)
 */
export function statsdTimerValues(point: Pick<DistributionPoint, 'histogram' | 'min' | 'max'>, maxValues: number, percentThresholds: readonly number[]): WeightedValue[] {
  const entries = histogramValues(point);
  let total = 0;
  for (const entry of entries) total += entry.count;
  if (total === 0) return [];
  const slots = Math.max(1, Math.min(total, Math.floor(maxValues)));
  const ranks = new RankReader(entries);
  const weights = exactWeights(total, slots);
  const values: WeightedValue[] = [];
  let slot = 0;
  let rank = 0;
  for (const [cutSlot, cutRank] of cuts(total, slots, percentThresholds)) {
    const share = (cutRank - rank) / (cutSlot - slot);
    for (let first = slot; slot < cutSlot; slot++) {
      const from = rank + (slot - first) * share;
      const last = slot === cutSlot - 1 && cutSlot < slots;
      // The value just below a threshold's cut is read by the daemon as `upper_p`: it is that rank's own.
      const value = last ? ranks.valueAt(cutRank - 1) : ranks.sumBetween(from, from + share) / share;
      values.push({ value, count: weights[slot] });
    }
    rank = cutRank;
  }
  return values;
}

/**
 * Where the shares are cut: for each threshold, the slot the daemon will cut at
 * (`round(p% × slots)`) and the rank it would cut at with every value (`round(p% × total)`).
 * Cuts that would leave a share empty are left out; the last cut is the end.
 */
function cuts(total: number, slots: number, percentThresholds: readonly number[]): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let lastSlot = 0;
  let lastRank = 0;
  for (const percent of [...percentThresholds].sort((a, b) => a - b)) {
    const slot = Math.round((percent / 100) * slots);
    const rank = Math.round((percent / 100) * total);
    if (slot <= lastSlot || rank <= lastRank || slot >= slots || rank >= total) continue;
    result.push([slot, rank]);
    lastSlot = slot;
    lastRank = rank;
  }
  result.push([slots, total]);
  return result;
}

/** Reads the step function "value of rank r" that the weighted values describe, walking forward only. */
class RankReader {
  private index = 0;
  /** The first rank of `entries[index]`. */
  private start = 0;

  constructor(private readonly entries: readonly WeightedValue[]) {}

  /** The value at integer rank `rank` (0-based), ranks ascending. */
  valueAt(rank: number): number {
    this.seek(rank);
    return this.entries[this.index].value;
  }

  /** Σ value over the (fractional) ranks [from, to), from ≥ every earlier call's start. */
  sumBetween(from: number, to: number): number {
    this.seek(from);
    let sum = 0;
    let index = this.index;
    let start = this.start;
    let at = from;
    while (at < to && index < this.entries.length) {
      const end = Math.min(to, start + this.entries[index].count);
      sum += (end - at) * this.entries[index].value;
      at = end;
      start += this.entries[index].count;
      index++;
    }
    return sum;
  }

  private seek(rank: number): void {
    while (this.index < this.entries.length - 1 && rank >= this.start + this.entries[this.index].count) {
      this.start += this.entries[this.index].count;
      this.index++;
    }
  }
}

/** True when a daemon reading `@rate` for this weight computes `1 / rate` as exactly `weight`. */
function isExactWeight(weight: number): boolean {
  const rate = sampleRateForCount(weight);
  return rate === undefined ? weight === 1 : 1 / Number(rate) === weight;
}

/**
 * `slots` integer weights, each ≥ 1, as even as can be, adding up to `total`, every one exact as
 * a rate (about one integer in eight, such as 49, is not: `1/(1/49)` is not 49 in doubles). A weight
 * that is not exact is moved by one or two, and the next slot takes the difference.
 */
function exactWeights(total: number, slots: number): number[] {
  const weights: number[] = [];
  let given = 0;
  for (let slot = 0; slot < slots; slot++) {
    const remaining = total - given;
    const left = slots - slot;
    let weight = slot === slots - 1 ? remaining : Math.round(((slot + 1) * total) / slots) - given;
    if (slot < slots - 1) weight = nearestExact(weight, 1, remaining - (left - 1));
    weights.push(weight);
    given += weight;
  }
  // The last weight is what is left; when it is not exact, trade a little with an earlier slot.
  const last = slots - 1;
  for (let slot = last - 1; slot >= 0 && !isExactWeight(weights[last]); slot--) {
    for (const shift of [1, -1, 2, -2, 3, -3]) {
      if (weights[slot] + shift >= 1 && weights[last] - shift >= 1 && isExactWeight(weights[slot] + shift) && isExactWeight(weights[last] - shift)) {
        weights[slot] += shift;
        weights[last] -= shift;
        break;
      }
    }
  }
  return weights;
}

function nearestExact(weight: number, low: number, high: number): number {
  for (const shift of [0, 1, -1, 2, -2, 3, -3]) {
    const candidate = weight + shift;
    if (candidate >= low && candidate <= high && isExactWeight(candidate)) return candidate;
  }
  return Math.max(low, Math.min(high, weight));
}
