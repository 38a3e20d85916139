import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalAttributesKey, type Attributes } from '../../../../src/core/internal/attributes';
import { createStackContextManager, type ActiveContext } from '../../../../src/core/internal/context';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import { ExponentialHistogram } from '../../../../src/core/metrics/exponential-histogram';
import { MAX_METRICS, MAX_NAME_LENGTH, MetricsAggregator } from '../../../../src/core/metrics/aggregator';
import { OVERFLOW_ATTRIBUTE } from '../../../../src/core/metrics/series-index';
import type { CounterPoint, DistributionPoint, GaugePoint, MetricPoint } from '../../../../src/core/metrics/types';

function createAggregator(maxSeries?: number, globals?: Attributes) {
  const drops = new DropCounter();
  const manager = createStackContextManager();
  const aggregator = new MetricsAggregator(manager, drops, maxSeries, globals);
  return { aggregator, drops, manager };
}

function only<P extends MetricPoint>(points: MetricPoint[], name: string): P {
  const matching = points.filter((point) => point.name === name);
  expect(matching).toHaveLength(1);
  return matching[0] as P;
}

function scoped(attributes: Attributes): ActiveContext {
  return { scope: { attributes, key: canonicalAttributesKey(attributes) } };
}

afterEach(() => {
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('MetricsAggregator: one interval', () => {
  it('sums a counter and counts its adds', () => {
    const { aggregator } = createAggregator();
    aggregator.count('jobs', 2, undefined, undefined);
    aggregator.count('jobs', 3.5, undefined, undefined);
    aggregator.count('jobs', 0, undefined, undefined);
    expect(only<CounterPoint>(aggregator.collect().points, 'jobs')).toMatchObject({ type: 'counter', sum: 5.5, count: 3, unit: '', attributes: {} });
  });

  it('keeps a gauge’s last, min, max, sum and count', () => {
    const { aggregator } = createAggregator();
    for (const value of [5, -2, 9, 4]) aggregator.gauge('queue.depth', value, undefined, undefined);
    expect(only<GaugePoint>(aggregator.collect().points, 'queue.depth')).toMatchObject({ type: 'gauge', last: 4, min: -2, max: 9, sum: 16, count: 4 });
  });

  it('gives a distribution its exact count, sum, min and max and an exponential histogram of the values', () => {
    const { aggregator } = createAggregator();
    const values = [1, 2, 4, 8, 100, 0.5];
    for (const value of values) aggregator.distribution('latency', value, 'millisecond', undefined);
    const point = only<DistributionPoint>(aggregator.collect().points, 'latency');
    expect(point).toMatchObject({ type: 'distribution', unit: 'millisecond', count: 6, sum: 115.5, min: 0.5, max: 100 });
    expect(point.histogram.count).toBe(6);
    expect(Array.from(point.histogram.positive.bucketCounts).reduce((sum, n) => sum + n, 0)).toBe(6);
    const median = ExponentialHistogram.fromData(point.histogram).quantile(0.5);
    expect(median).toBeGreaterThan(1.9);
    expect(median).toBeLessThan(2.1);
  });

  it('exports nothing for an empty interval', () => {
    const { aggregator } = createAggregator();
    expect(aggregator.collect().points).toEqual([]);
  });

  it('carries only what came after the previous collect (delta)', () => {
    const { aggregator } = createAggregator();
    aggregator.count('jobs', 2, undefined, undefined);
    aggregator.gauge('temp', 10, undefined, undefined);
    aggregator.distribution('size', 7, undefined, undefined);
    const first = aggregator.collect();
    aggregator.count('jobs', 5, undefined, undefined);
    const second = aggregator.collect();
    expect(first.points).toHaveLength(3);
    expect(second.points).toHaveLength(1);
    expect(only<CounterPoint>(second.points, 'jobs')).toMatchObject({ sum: 5, count: 1 });
    expect(second.startTimeMs).toBe(first.endTimeMs);
    expect(second.points[0].startTimeMs).toBe(second.startTimeMs);
    expect(second.points[0].timeMs).toBe(second.endTimeMs);
    expect(aggregator.collect().points).toEqual([]);
  });

  it('treats {a, b} and {b, a} as one series', () => {
    const { aggregator } = createAggregator();
    aggregator.count('hits', 1, undefined, { a: 'x', b: 'y' });
    aggregator.count('hits', 1, undefined, { b: 'y', a: 'x' });
    const point = only<CounterPoint>(aggregator.collect().points, 'hits');
    expect(point.sum).toBe(2);
    expect(Object.keys(point.attributes)).toEqual(['a', 'b']);
  });

  it('keeps 1 and "1" as different series', () => {
    const { aggregator } = createAggregator();
    aggregator.count('hits', 1, undefined, { code: 1 });
    aggregator.count('hits', 1, undefined, { code: '1' });
    const attributes = aggregator.collect().points.map((point) => point.attributes);
    expect(attributes).toHaveLength(2);
    expect(attributes).toContainEqual({ code: 1 });
    expect(attributes).toContainEqual({ code: '1' });
  });

  it('makes the unit part of a series’ identity', () => {
    const { aggregator } = createAggregator();
    aggregator.count('transfer', 10, 'byte', undefined);
    aggregator.count('transfer', 1, 'kilobyte', undefined);
    aggregator.count('transfer', 5, 'byte', undefined);
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.map((point) => [point.unit, point.sum]).sort()).toEqual([
      ['byte', 15],
      ['kilobyte', 1],
    ]);
  });

  it('treats no unit and the empty unit as the same', () => {
    const { aggregator } = createAggregator();
    aggregator.count('jobs', 1, undefined, undefined);
    aggregator.count('jobs', 1, '', undefined);
    expect(only<CounterPoint>(aggregator.collect().points, 'jobs')).toMatchObject({ unit: '', sum: 2 });
  });

  it('keeps a counter, a gauge and a distribution of the same name apart', () => {
    const { aggregator } = createAggregator();
    aggregator.count('x', 1, undefined, undefined);
    aggregator.gauge('x', 2, undefined, undefined);
    aggregator.distribution('x', 3, undefined, undefined);
    expect(
      aggregator
        .collect()
        .points.map((point) => point.type)
        .sort(),
    ).toEqual(['counter', 'distribution', 'gauge']);
  });

  it('merges global attributes into every series, the call’s own winning', () => {
    const { aggregator } = createAggregator(undefined, { env: 'prod', region: 'eu' });
    aggregator.count('hits', 1, undefined, { region: 'us' });
    expect(only<CounterPoint>(aggregator.collect().points, 'hits').attributes).toEqual({ env: 'prod', region: 'us' });
  });

  it('counts a call that repeats a global value in the same series as one that leaves it out', () => {
    const { aggregator } = createAggregator(undefined, { env: 'prod' });
    aggregator.count('hits', 1, undefined, { env: 'prod' });
    aggregator.count('hits', 2, undefined, undefined);
    expect(only<CounterPoint>(aggregator.collect().points, 'hits')).toMatchObject({ sum: 3, attributes: { env: 'prod' } });
  });

  it('merges the active scope’s attributes, the call’s own winning', () => {
    const { aggregator, manager } = createAggregator();
    manager.with(scoped({ tenant: 'acme', tier: 'free' }), () => aggregator.count('hits', 1, undefined, { tier: 'pro' }));
    expect(only<CounterPoint>(aggregator.collect().points, 'hits').attributes).toEqual({ tenant: 'acme', tier: 'pro' });
  });

  it('attaches the active trace as an exemplar, sampled traces first', () => {
    const { aggregator, manager } = createAggregator();
    const trace = (n: number, sampled: boolean) => ({ trace: { traceId: String(n).padStart(32, '0'), spanId: String(n).padStart(16, '0'), sampled } });
    for (let n = 1; n <= 3; n++) manager.with(trace(n, false), () => aggregator.distribution('latency', n, undefined, undefined));
    manager.with(trace(9, true), () => aggregator.distribution('latency', 9, undefined, undefined));
    const exemplars = only<DistributionPoint>(aggregator.collect().points, 'latency').exemplars;
    expect(exemplars).toHaveLength(3);
    expect(exemplars.filter((exemplar) => exemplar.sampled)).toEqual([expect.objectContaining({ value: 9, traceId: '9'.padStart(32, '0'), spanId: '9'.padStart(16, '0') })]);
  });
});

describe('MetricsAggregator: bad input', () => {
  it.each([
    ['count', Number.NaN],
    ['count', Number.POSITIVE_INFINITY],
    ['count', -1],
    ['count', '5'],
    ['gauge', Number.NaN],
    ['gauge', Number.NEGATIVE_INFINITY],
    ['gauge', null],
    ['distribution', Number.NaN],
    ['distribution', Number.POSITIVE_INFINITY],
    ['distribution', {}],
  ] as const)('drops %s(%s) and counts it as invalid_value', (kind, value) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    aggregator[kind]('m', value as number, undefined, undefined);
    expect(aggregator.collect().points).toEqual([]);
    expect(drops.snapshot()).toEqual({ invalid_value: 1 });
  });

  it('accepts negative gauge and distribution values', () => {
    const { aggregator, drops } = createAggregator();
    aggregator.gauge('g', -3, undefined, undefined);
    aggregator.distribution('d', -3, undefined, undefined);
    expect(aggregator.collect().points).toHaveLength(2);
    expect(drops.total()).toBe(0);
  });

  it.each([
    ['the empty string', ''],
    [`a name over ${MAX_NAME_LENGTH} characters`, 'x'.repeat(MAX_NAME_LENGTH + 1)],
    ['null', null],
    ['a number', 42],
  ])('drops a point named with %s and counts it as invalid_name', (_label, name) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    aggregator.count(name as string, 1, undefined, undefined);
    expect(aggregator.collect().points).toEqual([]);
    expect(drops.snapshot()).toEqual({ invalid_name: 1 });
  });

  it('counts a point with bad attributes once as invalid_attribute, however many entries were bad', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    aggregator.count('hits', 1, undefined, { a: {}, b: [], c: () => 1, ok: 'yes' });
    expect(only<CounterPoint>(aggregator.collect().points, 'hits').attributes).toEqual({ ok: 'yes' });
    expect(drops.snapshot()).toEqual({ invalid_attribute: 1 });
  });

  it(`drops points of new names past ${MAX_METRICS} metrics in an interval and counts them`, () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    for (let i = 0; i < MAX_METRICS + 5; i++) aggregator.count(`metric.${i}`, 1, undefined, undefined);
    aggregator.count('metric.0', 1, undefined, undefined);
    const points = aggregator.collect().points as CounterPoint[];
    expect(points).toHaveLength(MAX_METRICS);
    expect(only<CounterPoint>(points, 'metric.0').sum).toBe(2);
    expect(drops.snapshot()).toEqual({ too_many_metrics: 5 });
  });
});

describe('MetricsAggregator: cardinality', () => {
  it('folds only the key past its budget into "__other__", keeps the other attributes and counts each fold', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator(8); // 2 distinct values a key
    for (let user = 0; user < 5; user++) aggregator.count('logins', 1, undefined, { user, plan: 'pro' });
    aggregator.count('logins', 10, undefined, { user: 0, plan: 'pro' });
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.map((point) => [point.attributes, point.sum])).toEqual([
      [{ plan: 'pro', user: 0 }, 11],
      [{ plan: 'pro', user: 1 }, 1],
      [{ plan: 'pro', user: '__other__' }, 3],
    ]);
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 3 });
    const warnings = warn.mock.calls.map((args) => args.join(' ')).filter((line) => line.includes('budget'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"logins"');
    expect(warnings[0]).toContain('"user"');
  });

  it('counts folds that take the cached path, for every kind of metric', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator(4); // 1 distinct value a key
    for (let round = 0; round < 3; round++) {
      for (const user of ['a', 'b', 'c']) {
        aggregator.count('c', 1, undefined, { user });
        aggregator.gauge('g', 1, undefined, { user });
        aggregator.distribution('d', 1, undefined, { user });
      }
    }
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 3 * 2 * 3 });
    const points = aggregator.collect().points;
    expect(points.filter((point) => point.attributes.user === '__other__').map((point) => point.count)).toEqual([6, 6, 6]);
  });

  it('keeps memory bounded through 100 000 distinct attribute sets, with every value accounted for', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    for (let i = 0; i < 100_000; i++) aggregator.count('requests', 1, undefined, { user: `user-${i}` });
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.length).toBeLessThanOrEqual(2001);
    expect(points.reduce((sum, point) => sum + point.sum, 0)).toBe(100_000);
    expect(points.find((point) => point.attributes.user === '__other__')?.sum).toBe(99_500);
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 99_500 });
  });

  it('folds the widest key of new sets near the series limit, so totals filtered on the others stay exact', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator } = createAggregator(80); // 20 values a key; new sets fold their widest key from 70 series on
    let errors = 0;
    for (let i = 0; i < 2000; i++) {
      const status = i % 13 === 0 ? 500 : 200;
      if (status === 500) errors++;
      aggregator.count('requests', 1, undefined, { route: `/r${i % 19}`, region: `r${i % 3}`, status });
    }
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.length).toBeLessThanOrEqual(80);
    expect(points.some((point) => point.attributes[OVERFLOW_ATTRIBUTE] === true)).toBe(false);
    expect(points.reduce((sum, point) => sum + point.sum, 0)).toBe(2000);
    expect(points.filter((point) => point.attributes.status === 500).reduce((sum, point) => sum + point.sum, 0)).toBe(errors);
  });

  it('templates ids in route attributes before counting them, so routes never overflow on ids', () => {
    const { aggregator, drops } = createAggregator();
    for (let i = 0; i < 5000; i++) aggregator.count('requests', 1, undefined, { 'http.route': `/orders/${1000 + i}/items`, user: 'u' });
    aggregator.count('requests', 1, undefined, { 'url.path': '/users/3f2b8c1e-9d4a-4e6b-8f0a-2c5d7e9b1a3c?tab=2' });
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.map((point) => [point.attributes, point.sum])).toEqual([
      [{ 'http.route': '/orders/:id/items', user: 'u' }, 5000],
      [{ 'url.path': '/users/:id' }, 1],
    ]);
    expect(drops.snapshot()).toEqual({});
  });

  it('a folding call lands in the right series however the caller orders its keys', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator } = createAggregator(8);
    for (let user = 0; user < 6; user++) {
      aggregator.count('x', 1, undefined, { user, ok: true });
      aggregator.count('x', 1, undefined, { ok: false, user });
    }
    const points = aggregator.collect().points as CounterPoint[];
    expect(points.filter((point) => point.attributes.ok === false).reduce((sum, point) => sum + point.sum, 0)).toBe(6);
    expect(points.find((point) => point.attributes.user === '__other__' && point.attributes.ok === true)?.sum).toBe(4);
  });

  it('limits series per interval: the next interval admits new sets again', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator } = createAggregator(1);
    aggregator.count('x', 1, undefined, { a: 1 });
    aggregator.count('x', 1, undefined, { a: 2 });
    aggregator.collect();
    aggregator.count('x', 1, undefined, { a: 2 });
    expect(aggregator.collect().points.map((point) => point.attributes)).toEqual([{ a: 2 }]);
  });
});

describe('MetricsAggregator.boundCounterAdd', () => {
  it('adds the value and returns the series, which later adds may update directly', () => {
    const { aggregator } = createAggregator();
    const series = aggregator.boundCounterAdd('bound', 2, undefined, { k: 'v' });
    expect(series).toMatchObject({ sum: 2, count: 1 });
    series!.sum += 3;
    series!.count++;
    expect(only<CounterPoint>(aggregator.collect().points, 'bound')).toMatchObject({ sum: 5, count: 2, attributes: { k: 'v' } });
  });

  it('ignores the active scope: a bound counter’s attributes are pinned', () => {
    const { aggregator, manager } = createAggregator();
    manager.with(scoped({ tenant: 'acme' }), () => aggregator.boundCounterAdd('bound', 1, undefined, { k: 'v' }));
    expect(only<CounterPoint>(aggregator.collect().points, 'bound').attributes).toEqual({ k: 'v' });
  });

  it('drops a bad value, counts it once and leaves no empty series behind', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    expect(aggregator.boundCounterAdd('bound', Number.NaN, undefined, undefined)).toBeUndefined();
    expect(aggregator.collect().points).toEqual([]);
    expect(drops.snapshot()).toEqual({ invalid_value: 1 });
  });

  it('counts a bad name once per add', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator();
    expect(aggregator.boundCounterAdd('', 1, undefined, undefined)).toBeUndefined();
    expect(drops.snapshot()).toEqual({ invalid_name: 1 });
  });
});

describe('MetricsAggregator: folds into a set the caller spelled with __other__', () => {
  it('counts the folded points that land there', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { aggregator, drops } = createAggregator(8); // 2 values a key
    aggregator.count('x', 1, undefined, { user: 'a' });
    aggregator.count('x', 1, undefined, { user: '__other__' });
    aggregator.count('x', 1, undefined, { user: 'b' });
    expect(drops.snapshot()).toEqual({});
    aggregator.count('x', 1, undefined, { user: 'c' });
    aggregator.count('x', 1, undefined, { user: 'd' });
    expect(drops.snapshot()).toEqual({ cardinality_overflow: 2 });
    expect((aggregator.collect().points as CounterPoint[]).map((point) => [point.attributes.user, point.sum])).toEqual([
      ['a', 1],
      ['__other__', 3],
      ['b', 1],
    ]);
  });
});
