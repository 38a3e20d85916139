import { describe, expect, it, vi } from 'vitest';
import { CumulativeStore } from '../../../../src/core/export/cumulative-store';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import { fitHistogramData } from '../../../../src/core/metrics/fit-histogram-data';
import type { CounterPoint, DistributionPoint, GaugePoint, MetricPoint } from '../../../../src/core/metrics/types';
import { countTurns } from '../../../support/count-turns';

const counter = (sum: number, startTimeMs: number, attributes: Record<string, string | number | boolean> = { route: '/a' }): CounterPoint => ({
  type: 'counter',
  name: 'requests',
  unit: '',
  attributes,
  startTimeMs,
  timeMs: startTimeMs + 10,
  exemplars: [],
  sum,
  count: 1,
});

const gauge = (last: number, startTimeMs: number): GaugePoint => ({
  type: 'gauge',
  name: 'queue.depth',
  unit: '',
  attributes: {},
  startTimeMs,
  timeMs: startTimeMs + 10,
  exemplars: [],
  last,
  min: last,
  max: last,
  sum: last,
  count: 1,
});

function distribution(values: number[], startTimeMs: number, maxScale = 20): DistributionPoint {
  const histogram = new ExponentialHistogram(undefined, maxScale);
  for (const value of values) histogram.record(value);
  return {
    type: 'distribution',
    name: 'latency',
    unit: 'millisecond',
    attributes: { route: '/a' },
    startTimeMs,
    timeMs: startTimeMs + 10,
    exemplars: [],
    count: histogram.count,
    sum: histogram.sum,
    min: histogram.min,
    max: histogram.max,
    histogram: histogram.toData(),
  };
}

describe('CumulativeStore', () => {
  it('keeps a running counter sum with the start time of the first interval', () => {
    const store = new CumulativeStore();
    store.add([counter(3, 1000)], 1010);
    store.add([counter(4, 1010)], 1020);
    const [point] = store.collect(1020) as CounterPoint[];
    expect(point).toMatchObject({ type: 'counter', sum: 7, count: 2, startTimeMs: 1000, timeMs: 1020, attributes: { route: '/a' } });
  });

  it('reports every live series at each collect, even one no interval touched since', () => {
    const store = new CumulativeStore();
    store.add([counter(3, 1000), counter(5, 1000, { route: '/b' })], 1010);
    store.collect(1010);
    store.add([counter(1, 1010)], 1020);
    const points = store.collect(1020) as CounterPoint[];
    expect(points.map((point) => [point.attributes.route, point.sum, point.timeMs])).toEqual([
      ['/a', 4, 1020],
      ['/b', 5, 1020],
    ]);
  });

  it('keeps a gauge as its last value, with min and max since the series started', () => {
    const store = new CumulativeStore();
    store.add([gauge(5, 0)], 10);
    store.add([gauge(2, 10)], 20);
    store.add([gauge(3, 20)], 30);
    expect(store.collect(30)[0]).toMatchObject({ type: 'gauge', last: 3, min: 2, max: 5, sum: 10, count: 3, startTimeMs: 0 });
  });

  it('merges distributions into one histogram equal to recording every value in one', () => {
    const first = [0.5, 1, 2, 2, 40];
    const second = [0, 3, 900, 12_000, -4];
    const store = new CumulativeStore();
    // The second interval arrives at a coarser scale: the merge must land in it exactly.
    store.add([distribution(first, 0)], 10);
    store.add([distribution(second, 10, 3)], 20);
    const [point] = store.collect(20) as DistributionPoint[];
    const expected = new ExponentialHistogram(undefined, 3);
    for (const value of [...first, ...second]) expected.record(value);
    // Collected points carry typed counts; as plain arrays they equal recording every value in one.
    const { positive, negative, ...rest } = point.histogram;
    expect({
      ...rest,
      positive: { offset: positive.offset, bucketCounts: Array.from(positive.bucketCounts) },
      negative: { offset: negative.offset, bucketCounts: Array.from(negative.bucketCounts) },
    }).toEqual(expected.toData());
    expect(point).toMatchObject({ count: 10, sum: expected.sum, min: -4, max: 12_000, startTimeMs: 0, timeMs: 20 });
    const buckets = Array.from(point.histogram.positive.bucketCounts).reduce((a, b) => a + b, 0) + Array.from(point.histogram.negative.bucketCounts).reduce((a, b) => a + b, 0);
    expect(buckets + point.histogram.zeroCount).toBe(point.count);
  });

  it('never writes into the points it was given, nor lets a collected point change the totals', () => {
    const store = new CumulativeStore();
    const given = counter(3, 0);
    store.add([given], 10);
    store.add([counter(4, 10)], 20);
    expect(given.sum).toBe(3);
    const [collected] = store.collect(20) as CounterPoint[];
    collected.sum = 1e9;
    expect((store.collect(30)[0] as CounterPoint).sum).toBe(7);
  });

  it('sends an exemplar with the collect after it was recorded, not again', () => {
    const store = new CumulativeStore();
    const point = counter(1, 0);
    point.exemplars = [{ value: 1, timestampMs: 5, traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), sampled: true }];
    store.add([point], 10);
    expect(store.collect(10)[0].exemplars).toHaveLength(1);
    expect(store.collect(20)[0].exemplars).toHaveLength(0);
  });

  it('past maxSeries folds new series into one overflow series per metric, totals exact, folds counted', () => {
    const drops = new DropCounter();
    const store = new CumulativeStore({ maxSeries: 2, drops });
    store.add([counter(1, 0, { user: 'a' }), counter(1, 0, { user: 'b' }), counter(1, 0, { user: 'c' }), counter(1, 0, { user: 'd' })], 10);
    store.add([counter(1, 10, { user: 'e' }), counter(1, 10, { user: 'a' })], 20);
    const points = store.collect(20) as CounterPoint[];
    expect(points.map((point) => [point.attributes, point.sum])).toEqual([
      [{ user: 'a' }, 2],
      [{ user: 'b' }, 1],
      [{ 'isometer.overflow': true }, 3],
    ]);
    expect(points.reduce((total, point) => total + point.sum, 0)).toBe(6);
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 3 });
    expect(store.size).toBe(3);
  });

  it('stays bounded however many distinct series arrive', () => {
    const store = new CumulativeStore({ maxSeries: 100 });
    for (let interval = 0; interval < 50; interval++) {
      store.add(
        Array.from({ length: 100 }, (_, i) => counter(1, interval, { id: `${interval}-${i}` })),
        interval,
      );
    }
    expect(store.size).toBe(101);
    expect(store.collect(50).reduce((total, point) => total + (point as CounterPoint).sum, 0)).toBe(5000);
  });

  it('forgets a series unseen for expireAfterMs, counts it, and restarts it with a new start time', () => {
    const drops = new DropCounter();
    const store = new CumulativeStore({ expireAfterMs: 1000, drops });
    store.add([counter(5, 0), counter(1, 0, { route: '/b' })], 10);
    store.add([counter(1, 500, { route: '/b' })], 600);
    expect(store.collect(1010)).toHaveLength(2); // 1000 ms unseen is not yet past the limit
    expect(store.collect(1011).map((point) => point.attributes.route)).toEqual(['/b']);
    expect(drops.snapshot()).toEqual({ series_expired: 1 });
    store.add([counter(2, 1500)], 1510);
    const back = store.collect(1510).find((point) => point.attributes.route === '/a') as CounterPoint;
    expect(back).toMatchObject({ sum: 2, startTimeMs: 1500 });
  });

  it('frees an expired overflow series slot so the count of real series stays exact', () => {
    const drops = new DropCounter();
    const store = new CumulativeStore({ maxSeries: 1, expireAfterMs: 100, drops });
    store.add([counter(1, 0, { user: 'a' }), counter(1, 0, { user: 'b' })], 0);
    expect(store.size).toBe(2);
    store.collect(1000);
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 1, series_expired: 2 });
    store.add([counter(1, 1000, { user: 'c' })], 1000);
    expect(store.collect(1000).map((point) => point.attributes)).toEqual([{ user: 'c' }]);
  });

  it('keeps a series per type, name, unit and attribute value type', () => {
    const store = new CumulativeStore();
    const points: MetricPoint[] = [counter(1, 0, { id: 1 }), counter(1, 0, { id: '1' }), { ...counter(1, 0, { id: 1 }), unit: 'byte' }, { ...gauge(1, 0), name: 'requests', attributes: { id: 1 } }];
    store.add(points, 0);
    expect(store.size).toBe(4);
  });

  it('tells apart series whose hashes collide, and expires either one alone', () => {
    // `job-22297` and `job-96999` have the same attributes hash (found by search), so the store
    // chains them under one key and must compare their attributes.
    const drops = new DropCounter();
    const store = new CumulativeStore({ expireAfterMs: 1000, drops });
    const a = { job: 'job-22297' };
    const b = { job: 'job-96999' };
    store.add([counter(1, 0, a), counter(10, 0, b)], 0);
    store.add([counter(2, 10, a), counter(20, 10, b)], 10);
    expect(store.size).toBe(2);
    expect(store.collect(20).map((point) => [point.attributes.job, (point as CounterPoint).sum])).toEqual([
      ['job-22297', 3],
      ['job-96999', 30],
    ]);
    // The first in the chain expires, the other stays findable; then the other way round.
    store.add([counter(5, 1500, b)], 1500);
    expect(store.collect(1500).map((point) => point.attributes.job)).toEqual(['job-96999']);
    store.add([counter(5, 1600, b), counter(7, 1600, a)], 1600);
    expect(store.collect(1600).map((point) => [point.attributes.job, (point as CounterPoint).sum, point.startTimeMs])).toEqual([
      ['job-96999', 40, 0],
      ['job-22297', 7, 1600],
    ]);
    expect(store.collect(2650).map((point) => point.attributes.job)).toEqual([]);
    expect(drops.snapshot()).toEqual({ series_expired: 3 });
    store.add([counter(1, 2700, b)], 2700);
    expect(store.collect(2700).map((point) => [point.attributes.job, point.startTimeMs])).toEqual([['job-96999', 2700]]);
  });

  it('finds the series of a point whose attributes beforeSendMetric filled with NaN or an object again, interval after interval', () => {
    const store = new CumulativeStore();
    const odd = () => ({ ratio: Number.NaN, shape: { a: 1 } as unknown as string });
    store.add([counter(1, 0, odd())], 0);
    store.add([counter(2, 10, odd())], 10);
    expect(store.size).toBe(1);
    expect(store.collect(20).map((point) => (point as CounterPoint).sum)).toEqual([3]);
  });

  it('adds and collects in slices, one operation at a time: a collect asked for during an add sees all of it', async () => {
    const store = new CumulativeStore({ maxSeries: 100_000 });
    const interval = (sum: number) => Array.from({ length: 60_000 }, (_, i) => counter(sum, 0, { shard: i }));
    expect(store.addSliced(interval(1))).toBeInstanceOf(Promise);
    const turns = countTurns();
    const adding = store.addSliced(interval(2));
    const collected = await store.collectSliced(10);
    const turnsTaken = turns.stop();
    await adding;
    expect(collected).toHaveLength(60_000);
    expect(new Set(collected.map((point) => (point as CounterPoint).sum))).toEqual(new Set([3]));
    expect(turnsTaken).toBeGreaterThan(1);
    expect(store.collect(10)).toEqual(collected);
  });

  it('a collect in one go while a sliced one is under way sees every live series once, and expiries are counted once', async () => {
    const drops = new DropCounter();
    const store = new CumulativeStore({ maxSeries: 100_000, expireAfterMs: 1000, drops });
    // 30,000 series seen at 0 (expired at 2000) and 30,000 seen at 1500 (live).
    store.add(
      Array.from({ length: 30_000 }, (_, i) => counter(1, 0, { old: i })),
      0,
    );
    store.add(
      Array.from({ length: 30_000 }, (_, i) => counter(1, 1500, { fresh: i })),
      1500,
    );
    // A clock that moves 1 ms a read: a slice ends after some hundred series.
    let clock = 0;
    const read = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
    const sliced = store.collectSliced(2000);
    expect(sliced).toBeInstanceOf(Promise);
    await new Promise((resolve) => setImmediate(resolve));
    read.mockRestore();
    const atOnce = store.collect(2000);
    expect(atOnce).toHaveLength(30_000);
    expect(new Set(atOnce.map((point) => point.attributes.fresh)).size).toBe(30_000);
    expect(await sliced).toHaveLength(30_000);
    expect(store.size).toBe(30_000);
    expect(drops.snapshot()).toEqual({ series_expired: 30_000 });
    expect(store.collect(2000)).toHaveLength(30_000);
  });

  it('answers a small operation at once, not as a promise', () => {
    const store = new CumulativeStore();
    expect(store.addSliced([counter(1, 0)], 5)).toBeUndefined();
    expect(store.collectSliced(10)).toMatchObject([{ sum: 1 }]);
  });

  it('keeps running histograms within maxBuckets, exactly as fitting the merged data would', () => {
    const store = new CumulativeStore({ maxBuckets: 160 });
    const values = Array.from({ length: 20 }, (_, i) => Math.pow(1000, i / 19));
    store.add([distribution(values, 0, 6)], 10);
    store.add([distribution(values, 10, 6)], 20);
    const [point] = store.collect(20) as DistributionPoint[];
    const all = new ExponentialHistogram(undefined, 6);
    for (const value of [...values, ...values]) all.record(value);
    const fitted = fitHistogramData(all.toData(), 160);
    expect(point.histogram.scale).toBe(fitted.scale);
    expect(point.histogram.positive.offset).toBe(fitted.positive.offset);
    expect(Array.from(point.histogram.positive.bucketCounts)).toEqual(Array.from(fitted.positive.bucketCounts));
  });
});
