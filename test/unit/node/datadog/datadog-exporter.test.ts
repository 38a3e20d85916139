import { afterEach, describe, expect, it, vi } from 'vitest';
import { init } from '../../../../src/core/sdk/init';
import { close, flush, getDroppedCounts } from '../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../src/core/metrics/metrics';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { MetricBatch } from '../../../../src/core/export/exporter';
import { datadogExporter } from '../../../../src/node/datadog/datadog-exporter';
import { checkDistributionPayload, checkMetricPayload, startDatadogIntake, type DatadogIntake } from '../../../support/datadog-intake';
import { exactQuantile, logUniform, seededRandom } from '../../../support/seeded-random';
import { countTurns } from '../../../support/count-turns';

const intakes: DatadogIntake[] = [];
afterEach(async () => {
  await close(5000);
  for (const intake of intakes.splice(0)) await intake.close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

async function intake(): Promise<DatadogIntake> {
  const started = await startDatadogIntake();
  intakes.push(started);
  return started;
}

const sum = (values: number[]): number => values.reduce((total, value) => total + value, 0);

describe('datadogExporter', () => {
  it('sends counters as v2 counts and gauges as v2 gauges, valid against the published schema, with exact totals', async () => {
    const datadog = await intake();
    init({
      flushIntervalMs: 0,
      serviceName: 'checkout-api',
      environment: 'prod',
      release: '1.4.2',
      exporters: [datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, host: 'web-1' })],
    });
    const orders = metrics.counter('checkout.orders');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 1000; i++) orders.add(1, { route: i % 2 === 0 ? '/cart' : '/pay' });
      metrics.count('checkout.revenue', 12.5, { unit: 'millisecond' });
      metrics.gauge('queue.depth', 40 + round, { attributes: { queue: 'email' } });
      metrics.gauge('queue.depth', 7 + round, { attributes: { queue: 'email' } });
      expect(await flush(10_000)).toBe(true);
    }
    expect(datadog.violations).toEqual([]);
    expect(getDroppedCounts()).toEqual({});

    const orderSeries = datadog.series.filter((series) => series.metric === 'checkout.orders');
    const total = (tag: string) => sum(orderSeries.filter((series) => series.tags?.includes(tag)).flatMap((series) => series.points.map((point) => point.value)));
    expect(total('route:/cart')).toBe(1500);
    expect(total('route:/pay')).toBe(1500);
    for (const series of orderSeries) {
      expect(series.type).toBe(1);
      expect(series.interval).toBeGreaterThanOrEqual(1);
      expect(series.tags).toEqual(expect.arrayContaining(['service:checkout-api', 'env:prod', 'version:1.4.2']));
      expect(series.resources).toEqual([{ name: 'web-1', type: 'host' }]);
    }
    const revenue = datadog.series.filter((series) => series.metric === 'checkout.revenue');
    expect(sum(revenue.map((series) => series.points[0].value))).toBe(37.5);
    expect(revenue[0].unit).toBe('millisecond');

    const depth = datadog.series.filter((series) => series.metric === 'queue.depth');
    expect(depth.map((series) => [series.type, series.points[0].value])).toEqual([
      [3, 7],
      [3, 8],
      [3, 9],
    ]);
    expect(depth[0].tags).toContain('queue:email');
    for (const request of datadog.requests) {
      expect(request.headers['dd-api-key']).toBe(datadog.apiKey);
      expect(request.headers['content-encoding']).toBe('deflate');
      expect(request.compressedBytes).toBeLessThan(request.bytes);
    }
  });

  it("sends distributions whose Datadog count, min and max are exact and whose percentiles are within 1% of the recorded data's", async () => {
    const datadog = await intake();
    init({ flushIntervalMs: 0, exporters: [datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, host: '' })] });
    const random = seededRandom(15);
    const recorded: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      // Three decades, 1 ms … 1 s, the span the histogram's error bound is stated for.
      const value = logUniform(random, 1, 1000);
      recorded.push(value);
      metrics.distribution('db.query.duration', value, { unit: 'millisecond', attributes: { table: 'orders' } });
    }
    expect(await close(10_000)).toBe(true);
    expect(datadog.violations).toEqual([]);

    const [series, ...others] = datadog.distributions;
    expect(others).toEqual([]);
    expect(series).toMatchObject({ metric: 'db.query.duration', tags: ['table:orders'], type: 'distribution' });
    expect(series.host).toBeUndefined();
    // What Datadog computes a distribution's aggregations from: every value it was sent.
    const sent = series.points.flatMap(([, values]) => values).sort((a, b) => a - b);
    recorded.sort((a, b) => a - b);
    expect(sent.length).toBe(recorded.length);
    expect(sent[0]).toBe(recorded[0]);
    expect(sent[sent.length - 1]).toBe(recorded[recorded.length - 1]);
    for (const q of [0.5, 0.75, 0.9, 0.95, 0.99]) {
      const error = Math.abs(exactQuantile(sent, q) / exactQuantile(recorded, q) - 1);
      expect(error, `p${q * 100}`).toBeLessThan(0.01);
    }
    expect(Math.abs(sum(sent) / sum(recorded) - 1)).toBeLessThan(0.01);
    // Repeated values compress: far fewer bytes on the wire than the values' text.
    expect(datadog.requests[0].compressedBytes * 5).toBeLessThan(datadog.requests[0].bytes);
  });

  it('splits a large batch into requests within maxRequestBytes and loses no series or value', async () => {
    const datadog = await intake();
    const client = init({ flushIntervalMs: 0, exporters: [datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, maxRequestBytes: 8_000 })] });
    for (let i = 0; i < 400; i++) metrics.count('jobs.done', i + 1, { attributes: { worker: `w${i}` } });
    for (let i = 0; i < 50_000; i++) metrics.distribution('payload.size', 100 + (i % 900), { unit: 'byte' });
    expect(await close(10_000)).toBe(true);
    expect(datadog.violations).toEqual([]);
    expect(datadog.requests.filter((request) => request.path === '/api/v2/series').length).toBeGreaterThan(5);
    for (const request of datadog.requests) expect(request.bytes).toBeLessThanOrEqual(8_000);
    expect(datadog.series).toHaveLength(400);
    expect(sum(datadog.series.map((series) => series.points[0].value))).toBe((400 * 401) / 2);
    expect(datadog.distributions.length).toBeGreaterThan(1);
    expect(datadog.distributions.flatMap((series) => series.points.flatMap(([, values]) => values))).toHaveLength(50_000);
    expect(client.getDroppedCounts()).toEqual({});
  });

  it('encodes a large batch in slices: the event loop runs while it is made', async () => {
    const datadog = await intake();
    const exporter = datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint });
    const at = Date.now();
    const points = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'counter' as const,
      name: 'hits',
      unit: '',
      attributes: { page: `/p${i}` },
      startTimeMs: at - 10_000,
      timeMs: at,
      exemplars: [],
      sum: 1,
      count: 1,
    }));
    const turns = countTurns();
    expect(exporter.exportMetrics!({ resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } }, startTimeMs: at - 10_000, endTimeMs: at, points }, { drops: new DropCounter() })).toEqual({
      ok: true,
    });
    expect(await exporter.forceFlush!()).toBe(true);
    expect(turns.stop()).toBeGreaterThan(1);
    expect(datadog.series).toHaveLength(20_000);
    expect(datadog.violations).toEqual([]);
    await exporter.shutdown!();
  });

  it('encodes at most four batches at once: a fifth is dropped and counted, the rest delivered', async () => {
    const datadog = await intake();
    const exporter = datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint });
    const drops = new DropCounter();
    const at = Date.now();
    for (let n = 0; n < 6; n++) {
      const points = [0, 1, 2].map((i) => ({ type: 'counter' as const, name: 'hits', unit: '', attributes: { batch: n, i }, startTimeMs: at - 10_000, timeMs: at, exemplars: [], sum: 1, count: 1 }));
      expect(exporter.exportMetrics!({ resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } }, startTimeMs: at - 10_000, endTimeMs: at, points }, { drops })).toEqual({ ok: true });
    }
    expect(await exporter.forceFlush!()).toBe(false);
    expect(datadog.series).toHaveLength(12);
    expect(drops.snapshot()).toEqual({ queue_overflow: 6 });
    await exporter.shutdown!();
  });

  it('counts what an encoding failure kept from being queued, once, as export_error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const datadog = await intake();
    const exporter = datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint });
    const drops = new DropCounter();
    const at = Date.now();
    const counter = (attributes: Record<string, unknown>) => ({ type: 'counter' as const, name: 'hits', unit: '', attributes, startTimeMs: at - 10_000, timeMs: at, exemplars: [], sum: 1, count: 1 });
    const hostile = Object.defineProperty({}, 'route', {
      enumerable: true,
      get() {
        throw new Error('getter');
      },
    });
    const batch = {
      resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
      startTimeMs: at - 10_000,
      endTimeMs: at,
      points: [counter({ a: 1 }), counter(hostile), counter({ a: 2 })],
    } as unknown as MetricBatch;
    expect(exporter.exportMetrics!(batch, { drops })).toEqual({ ok: true });
    expect(await exporter.forceFlush!()).toBe(false);
    expect(drops.snapshot()).toEqual({ export_error: 3 });
    expect(datadog.requests).toEqual([]);
    await exporter.shutdown!();
  });

  it('scales a distribution sampled with its traces back up to the estimated count', async () => {
    const datadog = await intake();
    const exporter = datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint });
    const at = Date.now();
    const batch: MetricBatch = {
      resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
      startTimeMs: at - 10_000,
      endTimeMs: at,
      points: [
        {
          type: 'distribution',
          name: 'render.time',
          unit: 'millisecond',
          attributes: {},
          startTimeMs: at - 10_000,
          timeMs: at,
          exemplars: [],
          count: 3,
          sum: 36,
          min: 10,
          max: 14,
          sampleRate: 0.25,
          histogram: { scale: 0, zeroCount: 0, positive: { offset: 3, bucketCounts: [3] }, negative: { offset: 0, bucketCounts: [] }, count: 3, sum: 36, min: 10, max: 14 },
        },
      ],
    };
    expect(await exporter.exportMetrics!(batch, { drops: new DropCounter() })).toEqual({ ok: true });
    expect(await exporter.forceFlush!()).toBe(true);
    expect(datadog.violations).toEqual([]);
    const values = datadog.distributions[0].points[0][1];
    expect(values).toHaveLength(12);
    expect(Math.min(...values)).toBe(10);
    expect(Math.max(...values)).toBe(14);
    await exporter.shutdown!();
  });

  it('converts names Datadog would refuse, and counts a name with nothing left as invalid_name', async () => {
    const datadog = await intake();
    const client = init({ flushIntervalMs: 0, exporters: [datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint })] });
    metrics.count('cache hit-rate');
    metrics.count('2xx');
    metrics.count('🙂');
    expect(await close(10_000)).toBe(true);
    expect(datadog.violations).toEqual([]);
    expect(datadog.series.map((series) => series.metric).sort()).toEqual(['cache_hit_rate', 'xx']);
    expect(client.getDroppedCounts()).toEqual({ invalid_name: 1 });
  });

  it('without an API key sends nothing, warns once naming DD_API_KEY, and counts the points as export_error', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const datadog = await intake();
    const client = init({ flushIntervalMs: 0, exporters: [datadogExporter({ endpoint: datadog.endpoint, env: {} })] });
    metrics.count('a');
    metrics.gauge('b', 1);
    expect(await close(10_000)).toBe(false);
    expect(datadog.requests).toEqual([]);
    expect(client.getDroppedCounts()).toEqual({ export_error: 2 });
    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).toMatch(/DD_API_KEY/);
  });

  it('takes the key and the site from DD_API_KEY and DD_SITE, and options over them', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(datadogExporter({ env: { DD_API_KEY: 'k' } }).seriesUrl).toBe('https://api.datadoghq.com/api/v2/series');
    expect(datadogExporter({ env: { DD_API_KEY: 'k', DD_SITE: 'datadoghq.eu' } }).distributionUrl).toBe('https://api.datadoghq.eu/api/v1/distribution_points');
    expect(datadogExporter({ env: { DD_API_KEY: 'k', DD_SITE: 'app.us3.datadoghq.com' } }).seriesUrl).toBe('https://api.us3.datadoghq.com/api/v2/series');
    expect(datadogExporter({ site: 'ap1.datadoghq.com', env: { DD_SITE: 'datadoghq.eu' } }).seriesUrl).toBe('https://api.ap1.datadoghq.com/api/v2/series');
    expect(datadogExporter({ endpoint: 'http://127.0.0.1:8080/', site: 'datadoghq.eu' }).seriesUrl).toBe('http://127.0.0.1:8080/api/v2/series');
    expect(warn).not.toHaveBeenCalledWith(expect.anything(), expect.stringMatching(/DD_SITE|site|endpoint/));
    expect(datadogExporter({ env: { DD_API_KEY: 'k', DD_SITE: 'not a site!' } }).seriesUrl).toBe('https://api.datadoghq.com/api/v2/series');
    expect(datadogExporter({ endpoint: 'ftp://x', env: { DD_API_KEY: 'k' } }).seriesUrl).toBe('https://api.datadoghq.com/api/v2/series');
    const warnings = warn.mock.calls.map((call) => call.join(' ')).join('\n');
    expect(warnings).toMatch(/DD_SITE="not a site!"/);
    expect(warnings).toMatch(/datadogExporter\(\{ endpoint \}\)/);
  });

  it('never throws on bad options or a malformed batch', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const datadog = await intake();
    const drops = new DropCounter();
    const bad = [null, 42, { apiKey: 7, site: {}, host: 3, maxRequestBytes: -1, endpoint: 'nope' }] as unknown as Parameters<typeof datadogExporter>[0][];
    for (const options of bad) expect(() => datadogExporter(options)).not.toThrow();
    const exporter = datadogExporter({ apiKey: datadog.apiKey, endpoint: datadog.endpoint });
    const malformed = [undefined, {}, { points: 'x' }, { resource: null, points: [null, { type: 'counter', name: 'n', sum: Infinity, attributes: {} }] }] as unknown as MetricBatch[];
    for (const batch of malformed) await expect(Promise.resolve(exporter.exportMetrics!(batch, { drops }))).resolves.toBeDefined();
    expect(await exporter.forceFlush!()).toBe(true);
    expect(datadog.violations).toEqual([]);
    await exporter.shutdown!();
  });
});

describe('the loopback Datadog intake', () => {
  const now = Math.floor(Date.now() / 1000);

  it("accepts the examples of Datadog's API reference", () => {
    expect(checkMetricPayload({ series: [{ metric: 'system.load.1', type: 0, points: [{ timestamp: now, value: 0.7 }], resources: [{ name: 'dummyhost', type: 'host' }] }] })).toEqual([]);
    expect(checkDistributionPayload({ series: [{ metric: 'system.load.1.dist', points: [[now, [1.0, 2.0]]] }] })).toEqual([]);
  });

  it('refuses what the schemas do not allow', () => {
    expect(checkMetricPayload({})).toEqual(['body.series is required']);
    expect(checkMetricPayload({ series: [{ metric: 'a', points: [{ timestamp: now, value: '1' }] }] })).toEqual(['body.series[0].points[0].value must be a number']);
    expect(checkMetricPayload({ series: [{ metric: 'a', type: 1, points: [{ timestamp: now, value: 1 }] }] })).toEqual(['body.series[0]: a count or rate needs an interval in seconds']);
    expect(checkMetricPayload({ series: [{ metric: 'a', type: 5, tag: [], points: [{ timestamp: now - 7200, value: 1 }] }] })).toHaveLength(3);
    expect(checkMetricPayload({ series: [{ metric: '1a', points: [] }] })).toHaveLength(2);
    expect(checkDistributionPayload({ series: [{ metric: 'a', points: [[now, []]], type: 'gauge' }] })).toHaveLength(2);
    expect(checkDistributionPayload({ series: [{ metric: 'a', points: [{ timestamp: now, values: [1] }] }] })).toEqual(['body.series[0].points[0] must be a [timestamp, values] tuple']);
  });
});
