import { afterEach, describe, expect, it, vi } from 'vitest';
import { createStackContextManager } from '../../../../src/core/internal/context';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import { MetricsAggregator } from '../../../../src/core/metrics/aggregator';
import type { CounterPoint, DistributionPoint, MetricPoint } from '../../../../src/core/metrics/types';
import { countTurns } from '../../../support/count-turns';

afterEach(() => {
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

/** A clock that moves 1 ms each time it is read: every few dozen points spend a slice. */
function steppingClock(): void {
  let clock = 0;
  vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
}

function record(aggregator: MetricsAggregator, series: number): void {
  for (let i = 0; i < series; i++) {
    aggregator.count('requests', 1, undefined, { route: `/r${i % 50}`, shard: `s${Math.floor(i / 50)}` });
    aggregator.distribution('latency', i + 1, 'millisecond', { route: `/r${i % 50}`, shard: `s${Math.floor(i / 50)}` });
  }
}

const byKey = (points: MetricPoint[]) => new Map(points.map((point) => [`${point.type} ${point.name} ${JSON.stringify(point.attributes)}`, point]));

describe('MetricsAggregator.collectSliced', () => {
  it('hands back a small interval at once, not as a promise, so a pagehide flush reaches exporters in its own task', () => {
    const aggregator = new MetricsAggregator(createStackContextManager(), new DropCounter());
    aggregator.count('hits', 2, undefined, undefined);
    const collected = aggregator.collectSliced();
    expect(collected).not.toBeInstanceOf(Promise);
    expect((collected as { points: CounterPoint[] }).points).toMatchObject([{ name: 'hits', sum: 2 }]);
  });

  it('works through a large interval in slices, letting the event loop run between them, with the same points as one pass', async () => {
    const sliced = new MetricsAggregator(createStackContextManager(), new DropCounter());
    const whole = new MetricsAggregator(createStackContextManager(), new DropCounter());
    record(sliced, 1500);
    record(whole, 1500);
    steppingClock();
    const turns = countTurns();
    const collected = sliced.collectSliced();
    expect(collected).toBeInstanceOf(Promise);
    const interval = await collected;
    expect(turns.stop()).toBeGreaterThan(0);
    const expected = byKey(whole.collect().points);
    const actual = byKey(interval.points);
    expect(actual.size).toBe(3000);
    for (const [key, point] of expected) {
      const other = actual.get(key)!;
      expect({ ...other, startTimeMs: 0, timeMs: 0 }).toEqual({ ...point, startTimeMs: 0, timeMs: 0 });
    }
  });

  it('yields to the host between slices: a callback scheduled before the flush runs before it ends', async () => {
    const aggregator = new MetricsAggregator(createStackContextManager(), new DropCounter());
    record(aggregator, 2000);
    steppingClock();
    const order: string[] = [];
    setImmediate(() => order.push('host'));
    const collected = aggregator.collectSliced();
    order.push('started');
    await collected;
    order.push('collected');
    expect(order).toEqual(['started', 'host', 'collected']);
  });

  it('puts what is recorded while the slices run into the next interval', async () => {
    const aggregator = new MetricsAggregator(createStackContextManager(), new DropCounter());
    record(aggregator, 2000);
    steppingClock();
    const collected = aggregator.collectSliced();
    setImmediate(() => aggregator.count('during', 1, undefined, undefined));
    const first = await collected;
    expect(first.points.some((point) => point.name === 'during')).toBe(false);
    const next = aggregator.collect();
    expect(next.points.map((point) => point.name)).toEqual(['during']);
    expect(next.startTimeMs).toBe(first.endTimeMs);
  });

  it('gives distribution points compact counts over the populated range only', () => {
    const aggregator = new MetricsAggregator(createStackContextManager(), new DropCounter());
    for (const ms of [10, 10, 11, 900]) aggregator.distribution('latency', ms, 'millisecond', undefined);
    const [point] = aggregator.collect().points as DistributionPoint[];
    const counts = point.histogram.positive.bucketCounts;
    expect(counts).toBeInstanceOf(Uint8Array);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[counts.length - 1]).toBe(1);
    expect(Array.from(counts).reduce((sum, n) => sum + n, 0)).toBe(4);
  });
});
