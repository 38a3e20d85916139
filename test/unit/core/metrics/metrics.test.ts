import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  close,
  flush,
  getDroppedCounts,
  init,
  memoryExporter,
  metrics,
  withAttributes,
  type CounterPoint,
  type DistributionPoint,
  type GaugePoint,
  type MemoryExporter,
} from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';

let memory: MemoryExporter;
/** The monotonic clock isometer's timers read, driven by the test. */
let clock = 0;

beforeEach(() => {
  memory = memoryExporter();
  clock = 1000;
  vi.spyOn(performance, 'now').mockImplementation(() => clock);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function start(options: Parameters<typeof init>[0] = {}): void {
  init({ exporters: [memory], flushIntervalMs: 0, ...options });
}

function notInitializedCount(): number {
  return getDroppedCounts().not_initialized ?? 0;
}

describe('metrics.count / gauge / distribution', () => {
  it('counts 1 by default and sums explicit values per series', async () => {
    start();
    metrics.count('clicks');
    metrics.count('clicks', 4, { attributes: { plan: 'pro' } });
    metrics.count('clicks', 2, { attributes: { plan: 'pro' } });
    expect(await flush()).toBe(true);
    expect(
      memory
        .find('clicks', { attributes: {} })
        .map((point) => (point as CounterPoint).sum)
        .sort(),
    ).toEqual([1, 6]);
    expect(memory.total('clicks', { plan: 'pro' })).toBe(6);
  });

  it('exports the unit it was given', async () => {
    start();
    metrics.gauge('memory.used', 512, { unit: 'megabyte' });
    metrics.distribution('payload', 1200, { unit: 'byte' });
    await flush();
    expect(memory.find('memory.used')[0]).toMatchObject({ type: 'gauge', unit: 'megabyte', last: 512 });
    expect(memory.find('payload')[0]).toMatchObject({ type: 'distribution', unit: 'byte', count: 1, sum: 1200 });
  });

  it('applies the prefix to every name, without a doubled dot', async () => {
    start({ prefix: 'shop.' });
    metrics.count('cart.add');
    await flush();
    expect(memory.points().map((point) => point.name)).toEqual(['shop.cart.add']);
  });

  it('merges global attributes into every point, the point’s own winning', async () => {
    start({ globalAttributes: { env: 'prod', region: 'eu' } });
    metrics.count('hits', 1, { attributes: { region: 'us' } });
    metrics.gauge('depth', 3);
    await flush();
    expect(memory.find('hits')[0].attributes).toEqual({ env: 'prod', region: 'us' });
    expect(memory.find('depth')[0].attributes).toEqual({ env: 'prod', region: 'eu' });
  });

  it('sends one point when a call repeats a global attribute value and another leaves it out', async () => {
    start({ globalAttributes: { env: 'prod' } });
    metrics.count('hits', 1, { attributes: { env: 'prod' } });
    metrics.count('hits', 2);
    await flush();
    expect(memory.find('hits')).toEqual([expect.objectContaining({ sum: 3, count: 2, attributes: { env: 'prod' } })]);
  });
});

describe('metrics.counter', () => {
  it('adds through add(), with and without attributes', async () => {
    start();
    const orders = metrics.counter('orders', { unit: 'order' });
    orders.add();
    orders.add(2, { region: 'eu' });
    orders.add(3, { region: 'eu' });
    await flush();
    const points = memory.find('orders') as CounterPoint[];
    expect(points.map((point) => [point.attributes.region ?? '-', point.sum, point.count, point.unit]).sort()).toEqual([
      ['-', 1, 1, 'order'],
      ['eu', 5, 2, 'order'],
    ]);
  });

  it('adds through a bound counter to its pinned attributes', async () => {
    start();
    const bound = metrics.counter('jobs').bind({ queue: 'mail' });
    bound.add();
    bound.add(4);
    await flush();
    expect(memory.find('jobs')).toEqual([expect.objectContaining({ sum: 5, count: 2, attributes: { queue: 'mail' } })]);
  });

  it('keeps a bound counter’s attributes pinned inside withAttributes', async () => {
    start();
    const bound = metrics.counter('jobs').bind({ queue: 'mail' });
    withAttributes({ tenant: 'acme' }, () => bound.add());
    await flush();
    expect(memory.find('jobs')[0].attributes).toEqual({ queue: 'mail' });
  });

  it('keeps a bound counter working across flushes, each flush carrying only its own adds', async () => {
    start();
    const bound = metrics.counter('jobs').bind({ queue: 'mail' });
    bound.add(2);
    await flush();
    await flush();
    bound.add(3);
    bound.add(1);
    await flush();
    expect(memory.batches.map((batch) => batch.points.map((point) => (point as CounterPoint).sum))).toEqual([[2], [4]]);
  });

  it('re-binds a bound counter to the new client after close() and init()', async () => {
    start();
    const bound = metrics.counter('jobs').bind({ queue: 'mail' });
    bound.add(2);
    await close();
    const before = notInitializedCount();
    bound.add(100);
    expect(notInitializedCount()).toBe(before + 1);
    const second = memoryExporter();
    init({ exporters: [second], flushIntervalMs: 0 });
    bound.add(7);
    await flush();
    expect(memory.total('jobs')).toBe(2);
    expect(second.find('jobs')).toEqual([expect.objectContaining({ sum: 7, count: 1, attributes: { queue: 'mail' } })]);
  });

  it('drops a bad value given to a bound counter, counts it, and keeps counting good ones', async () => {
    start();
    const bound = metrics.counter('jobs').bind();
    bound.add(Number.NaN);
    bound.add(-1);
    bound.add(2);
    bound.add(3);
    expect(getDroppedCounts().invalid_value).toBe(2);
    await flush();
    expect(memory.find('jobs')).toEqual([expect.objectContaining({ sum: 5, count: 2 })]);
  });

  it('exports nothing for a bound counter with only bad values in the interval', async () => {
    start();
    metrics.counter('jobs').bind().add(Number.NaN);
    await flush();
    expect(memory.batches).toEqual([]);
  });

  it('counts each add to a bound counter with a bad name once', () => {
    start();
    const bound = metrics.counter('').bind();
    bound.add();
    bound.add();
    expect(getDroppedCounts().invalid_name).toBe(2);
  });
});

describe('metrics.timer', () => {
  it('records the elapsed milliseconds once and returns them from every stop()', async () => {
    start();
    const timer = metrics.timer('render', { attributes: { view: 'cart' } });
    clock += 42.5;
    expect(timer.stop()).toBe(42.5);
    clock += 100;
    expect(timer.stop()).toBe(42.5);
    await flush();
    expect(memory.find('render')).toEqual([expect.objectContaining({ type: 'distribution', unit: 'millisecond', count: 1, sum: 42.5, attributes: { view: 'cart' } })]);
  });
});

describe('metrics.time', () => {
  it('times a synchronous function and returns its value', async () => {
    start();
    const result = metrics.time('compute', () => {
      clock += 7;
      return 'done';
    });
    expect(result).toBe('done');
    await flush();
    expect(memory.find('compute')[0]).toMatchObject({ count: 1, sum: 7, unit: 'millisecond' });
  });

  it('times an async function until its promise settles and resolves to its value', async () => {
    start();
    let release!: (value: string) => void;
    const pending = metrics.time('fetch', () => new Promise<string>((resolve) => (release = resolve)), { attributes: { route: '/a' } });
    clock += 30;
    release('body');
    await expect(pending).resolves.toBe('body');
    await flush();
    expect(memory.find('fetch')).toEqual([expect.objectContaining({ count: 1, sum: 30, attributes: { route: '/a' } })]);
  });

  it('rethrows what a synchronous function throws, unchanged, and still records the duration', async () => {
    start();
    const error = new TypeError('boom');
    expect(() =>
      metrics.time('compute', () => {
        clock += 3;
        throw error;
      }),
    ).toThrow(error);
    await flush();
    expect(memory.find('compute')[0]).toMatchObject({ count: 1, sum: 3 });
  });

  it('rejects with what an async function rejects with, unchanged, and still records the duration', async () => {
    start();
    const error = new Error('upstream down');
    let fail!: (reason: unknown) => void;
    const pending = metrics.time('fetch', () => new Promise((_resolve, reject) => (fail = reject)));
    clock += 12;
    fail(error);
    await expect(pending).rejects.toBe(error);
    await flush();
    expect(memory.find('fetch')[0]).toMatchObject({ count: 1, sum: 12 });
  });

  it('runs nothing and warns when fn is not a function', () => {
    start();
    expect(metrics.time('x', 42 as unknown as () => number)).toBeUndefined();
    expect(String(vi.mocked(console.warn).mock.calls[0])).toContain('metrics.time(name, fn): fn must be a function');
  });
});

describe('before init and after close', () => {
  it('ignores metrics recorded before init, without throwing, and counts them', async () => {
    const before = notInitializedCount();
    metrics.count('early');
    metrics.gauge('early', 1);
    metrics.distribution('early', 1);
    metrics.counter('early').add();
    metrics.counter('early').bind().add();
    metrics.timer('early').stop();
    expect(metrics.time('early', () => 5)).toBe(5);
    expect(notInitializedCount()).toBe(before + 7);
    expect(await flush()).toBe(false);
    start();
    await flush();
    expect(memory.batches).toEqual([]);
  });

  it('ignores metrics recorded after close()', async () => {
    start();
    metrics.count('kept');
    await close();
    metrics.count('late');
    metrics.gauge('late', 1);
    expect(await flush()).toBe(false);
    expect(memory.points().map((point) => point.name)).toEqual(['kept']);
  });

  it('carries metrics to a new client started after close()', async () => {
    start();
    await close();
    const second = memoryExporter();
    init({ exporters: [second], flushIntervalMs: 0 });
    metrics.count('again');
    await flush();
    expect(second.total('again')).toBe(1);
    expect(memory.batches).toEqual([]);
  });
});

describe('cardinality', () => {
  it('folds the values of a key past its budget into "__other__" and counts each fold', async () => {
    start({ maxSeriesPerMetric: 12 }); // 3 distinct values a key
    for (let user = 0; user < 10; user++) metrics.count('logins', 1, { attributes: { user } });
    expect(getDroppedCounts().cardinality_overflow).toBe(7);
    await flush();
    const points = memory.find('logins') as CounterPoint[];
    expect(points).toHaveLength(4);
    expect(points.find((point) => point.attributes.user === '__other__')).toMatchObject({ sum: 7, attributes: { user: '__other__' } });
  });

  it('keeps the total and a filtered total exact for 10⁴ user ids × success, with series under the limit', async () => {
    start();
    let failures = 0;
    for (let i = 0; i < 10_000; i++) {
      const success = i % 7 !== 0;
      if (!success) failures++;
      metrics.count('checkout', 1, { attributes: { user_id: `user-${i}`, success } });
    }
    await flush();
    const points = memory.find('checkout') as CounterPoint[];
    expect(points.length).toBeLessThan(2000);
    expect(memory.total('checkout')).toBe(10_000);
    expect(memory.total('checkout', { success: false })).toBe(failures);
    expect(points.every((point) => typeof point.attributes.success === 'boolean')).toBe(true);
    expect(points.filter((point) => point.attributes.user_id === '__other__')).toHaveLength(2);
  });

  it('exports at most 2001 series for 100 000 distinct attribute sets, every increment accounted for', async () => {
    start();
    for (let i = 0; i < 100_000; i++) metrics.count('requests', 1, { attributes: { session: `s${i}` } });
    expect(getDroppedCounts().cardinality_overflow).toBe(99_500);
    await flush();
    const points = memory.find('requests');
    expect(points.length).toBeLessThanOrEqual(2001);
    expect(memory.total('requests')).toBe(100_000);
    const warnings = vi
      .mocked(console.warn)
      .mock.calls.map((args) => args.join(' '))
      .filter((line) => line.includes('"session"'));
    expect(warnings).toHaveLength(1);
  });

  it('warns again in the next interval while the key keeps overflowing', async () => {
    start({ maxSeriesPerMetric: 4 });
    const overflowWarnings = () => vi.mocked(console.warn).mock.calls.filter((args) => args.join(' ').includes('"user"')).length;
    for (let user = 0; user < 5; user++) metrics.count('logins', 1, { attributes: { user } });
    await flush();
    for (let user = 0; user < 5; user++) metrics.count('logins', 1, { attributes: { user } });
    expect(overflowWarnings()).toBe(2);
  });
});

describe('types of points', () => {
  it('exports counters, gauges and distributions with their fields', async () => {
    start();
    metrics.count('c', 2);
    metrics.gauge('g', 5);
    metrics.gauge('g', 1);
    metrics.distribution('d', 10);
    metrics.distribution('d', 30);
    await flush();
    expect(memory.find('c', { type: 'counter' })[0]).toMatchObject<Partial<CounterPoint>>({ sum: 2, count: 1 });
    expect(memory.find('g', { type: 'gauge' })[0]).toMatchObject<Partial<GaugePoint>>({ last: 1, min: 1, max: 5, sum: 6, count: 2 });
    const distribution = memory.find('d', { type: 'distribution' })[0] as DistributionPoint;
    expect(distribution).toMatchObject({ count: 2, sum: 40, min: 10, max: 30 });
    expect(distribution.histogram.count).toBe(2);
  });
});
