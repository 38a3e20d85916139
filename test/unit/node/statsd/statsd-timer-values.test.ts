import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import type { DistributionPoint } from '../../../../src/core/metrics/types';
import { close, flush, init, memoryExporter, metrics } from '../../../../src/node/index';
import { statsdExporter } from '../../../../src/node/statsd/statsd-exporter';
import { formatStatsdLines } from '../../../../src/node/statsd/statsd-format';
import { packDatagrams } from '../../../../src/node/statsd/statsd-pack';
import { statsdTimerValues } from '../../../../src/node/statsd/statsd-timer-values';
import { startStatsdDaemon, type StatsdDaemon } from '../../../support/statsd-daemon';

/** The figures the reference daemon computes from every raw value (statsd lib/process_metrics.js). */
function daemonFigures(values: number[], percent = 90): { count: number; mean: number; upper: number; meanBelow: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const inThreshold = Math.round((percent / 100) * sorted.length);
  const sum = (list: number[]): number => list.reduce((total, value) => total + value, 0);
  return { count: sorted.length, mean: sum(sorted) / sorted.length, upper: sorted[inThreshold - 1], meanBelow: sum(sorted.slice(0, inThreshold)) / inThreshold };
}

/** Seeded uniform numbers in (0, 1), the same on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return (state + 1) / (2 ** 31 + 1);
  };
}

function normal(uniform: () => number): number {
  return Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

const DATA_SETS: Record<string, number[]> = (() => {
  const uniform = random(7);
  const skewed = random(11);
  const exponential = random(13);
  const bimodal = random(17);
  return {
    // The case from the issue: 200 timings of 10–29 ms.
    uniform: Array.from({ length: 200 }, () => 10 + Math.floor(uniform() * 20)),
    uniform_wide: Array.from({ length: 5000 }, () => 1 + uniform() * 999),
    skewed_lognormal: Array.from({ length: 4000 }, () => Math.exp(3.5 + 1.2 * normal(skewed))),
    skewed_exponential: Array.from({ length: 3333 }, () => -40 * Math.log(exponential())),
    // 190 × 10 ms + 10 × 100 ms: exact mean 14.5 and p90 10 (the daemon said 40 and 100).
    bimodal: [...Array.from({ length: 190 }, () => 10), ...Array.from({ length: 10 }, () => 100)],
    bimodal_spread: Array.from({ length: 2501 }, () => (bimodal() < 0.7 ? 20 + 5 * normal(bimodal) : 800 + 100 * normal(bimodal))).map((value) => Math.max(0.5, value)),
  };
})();

describe('plain StatsD against the real statsd daemon: its own figures come out right', () => {
  let daemon: StatsdDaemon;
  // A long flush interval so one export's datagrams almost always land in one flush; a series
  // that was split across two flushes anyway is sent again under a new key (see below).
  beforeAll(async () => void (daemon = await startStatsdDaemon({ flushIntervalMs: 500 })));
  afterAll(() => daemon?.stop());
  afterEach(() => close());

  /** Records `values` under `name`, exports in plain mode, and returns the daemon's figures from a single flush. */
  async function figuresFor(name: string, values: number[]): Promise<{ figures: Record<string, number>; datagrams: number }> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const key = `accuracy.${name}.${attempt}`;
      const memory = memoryExporter();
      init({ exporters: [statsdExporter({ port: daemon.port, mode: 'statsd' }), memory], flushIntervalMs: 0 });
      for (const value of values) metrics.distribution(key, value, { unit: 'millisecond' });
      expect(await flush()).toBe(true);
      const point = memory.find(key)[0] as DistributionPoint;
      const { lines } = formatStatsdLines([point], { mode: 'statsd', prefix: '', globalTags: {}, maxLineBytes: 1432 });
      const datagrams = packDatagrams(lines, 1432).datagrams.length;
      await close();
      const totals = await daemon.waitForTotals((seen) => (seen.timerCounts[key] ?? 0) >= values.length);
      const flushes = totals.timerFigures[key];
      if (flushes.length === 1) return { figures: flushes[0], datagrams };
    }
    throw new Error(`${name}: every attempt was split across daemon flushes`);
  }

  for (const [name, values] of Object.entries(DATA_SETS)) {
    it(`${name}: count exact, mean within 1 %, upper_90 and mean_90 within 2 %, in at most 6 datagrams`, async () => {
      const exact = daemonFigures(values);
      const { figures, datagrams } = await figuresFor(name, values);
      expect(figures.count).toBe(exact.count);
      expect(Math.abs(figures.mean / exact.mean - 1)).toBeLessThan(0.01);
      expect(Math.abs(figures.upper_90 / exact.upper - 1)).toBeLessThan(0.02);
      expect(Math.abs(figures.mean_90 / exact.meanBelow - 1)).toBeLessThan(0.02);
      expect(datagrams).toBeLessThanOrEqual(6);
    });
  }
});

describe('statsdTimerValues', () => {
  it('sends one value per recorded value, min and max exact, when there are no more than maxValues', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0 });
    for (const value of [3, 250, 7, 7, 41]) metrics.distribution('d', value);
    await flush();
    const sent = statsdTimerValues(memory.find('d')[0] as DistributionPoint, 100, [90]);
    expect(sent.map((entry) => entry.count)).toEqual([1, 1, 1, 1, 1]);
    expect(sent[0].value).toBe(3);
    expect(sent[4].value).toBe(250);
    await close();
  });

  it('keeps every weight an integer whose rate round-trips, adding up to the count, in at most maxValues values', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e5, noNaN: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 10, max: 300 }), (values, maxValues) => {
        const memoryPoint = histogramPoint(values);
        const sent = statsdTimerValues(memoryPoint, maxValues, [90, 99]);
        const total = sent.reduce((sum, entry) => sum + entry.count, 0);
        return (
          total === values.length &&
          sent.length === Math.min(values.length, maxValues) &&
          sent.every((entry) => Number.isInteger(entry.count) && entry.count >= 1) &&
          sent.every((entry, index) => index === 0 || entry.value >= sent[index - 1].value * (1 - 1e-12))
        );
      }),
      { numRuns: 150 },
    );
  });

  it('puts the rank the daemon reads as upper_N at the slot it will read, for every threshold given', () => {
    const values = DATA_SETS.skewed_lognormal;
    const sent = statsdTimerValues(histogramPoint(values), 100, [50, 90, 99]);
    for (const percent of [50, 90, 99]) {
      const upper = sent[Math.round((percent / 100) * sent.length) - 1].value;
      expect(Math.abs(upper / daemonFigures(values, percent).upper - 1)).toBeLessThan(0.01);
    }
  });
});

function histogramPoint(values: number[]): DistributionPoint {
  const histogram = new ExponentialHistogram();
  for (const value of values) histogram.record(value);
  const data = histogram.toData();
  return { type: 'distribution', name: 'd', unit: '', attributes: {}, startTimeMs: 0, timeMs: 1, exemplars: [], count: data.count, sum: data.sum, min: data.min, max: data.max, histogram: data };
}
