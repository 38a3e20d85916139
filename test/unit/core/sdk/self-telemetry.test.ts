import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, flush, getDroppedCounts, init, memoryExporter, metrics, type Exporter, type MetricPoint } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { otlpExporter } from '../../../../src/core/export/otlp/otlp-exporter';
import { createNodeHttpTransport } from '../../../../src/node/http-transport';
import { metricDataPoints, startCollector, type Collector } from '../export/otlp/otlp-collector';
import { attributeMap } from '../export/otlp/otlp-proto';

/**
 * `selfTelemetry: true`: isometer's own loss as `isometer.telemetry.*` counters, sent through the
 * same exporters, exact deltas per flush, never folded and never feeding on themselves.
 */

const warnings: string[] = [];
const collectors: Collector[] = [];

beforeEach(() => {
  warnings.length = 0;
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.map(String).join(' ')));
});

afterEach(async () => {
  await close(2000);
  for (const collector of collectors.splice(0)) await collector.close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

const telemetryOf = (points: MetricPoint[]) =>
  points.filter((point) => point.name.startsWith('isometer.telemetry.')).map((point) => ({ name: point.name, attributes: point.attributes, sum: point.type === 'counter' ? point.sum : undefined }));

/** Sums of a telemetry counter by one attribute's value. */
function sums(points: MetricPoint[], name: string, key: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const point of points) if (point.name === name && point.type === 'counter') out[String(point.attributes[key])] = (out[String(point.attributes[key])] ?? 0) + point.sum;
  return out;
}

/** An exporter that loses `lose(batch)` of each batch's points, counting them as its context says. */
function lossyExporter(lose: (points: number) => number): Exporter & { received: number[] } {
  const received: number[] = [];
  return {
    name: 'lossy',
    received,
    exportMetrics(batch, context) {
      received.push(batch.points.length);
      const lost = lose(batch.points.length);
      if (lost > 0) context?.drops.record('network_error', lost);
      return lost > 0 ? { ok: false, retryable: false, counted: true } : { ok: true };
    },
  };
}

describe('self-telemetry', () => {
  it('is off by default: nothing but the app’s own series is sent, even after drops', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory, lossyExporter((points) => points)], flushIntervalMs: 0 });
    metrics.count('app.clicks', 1);
    metrics.count('', 1);
    await flush();
    await flush();
    metrics.count('app.clicks', 1);
    await flush();
    expect(memory.points().map((point) => point.name)).toEqual(['app.clicks', 'app.clicks']);
  });

  it('reports, at the next flush, exactly what an exporter dropped and was handed, by reason and exporter', async () => {
    const memory = memoryExporter();
    // Loses 7 of every batch of app points; the telemetry call (2+ points) is kept whole.
    const lossy = lossyExporter((points) => (points >= 20 ? 7 : 0));
    init({ exporters: [memory, lossy], flushIntervalMs: 0, selfTelemetry: true, globalAttributes: { service: 'shop' } });
    for (let i = 0; i < 20; i++) metrics.count('app.item', 1, { attributes: { i } });
    metrics.count('app.bad', Number.NaN);
    expect(await flush()).toBe(false);
    // The bad value was dropped during the interval: its flush says so; exports are yet to come.
    expect(telemetryOf(memory.points())).toEqual([{ name: 'isometer.telemetry.dropped', attributes: { exporter: 'none', reason: 'invalid_value', service: 'shop' }, sum: 1 }]);
    memory.clear();

    metrics.count('app.next', 1);
    await flush();
    const telemetry = memory.points().filter((point) => point.name.startsWith('isometer.telemetry.'));
    expect(sums(telemetry, 'isometer.telemetry.exported_points', 'exporter')).toEqual({ memory: 20, lossy: 20 });
    expect(telemetryOf(telemetry).filter((point) => point.name === 'isometer.telemetry.dropped')).toEqual([
      { name: 'isometer.telemetry.dropped', attributes: { exporter: 'lossy', reason: 'network_error', service: 'shop' }, sum: 7 },
    ]);
    // The exporters got the telemetry in a call of their own, beside the app's.
    expect(lossy.received).toEqual([1, 20, telemetry.length, 1]);
  });

  it('counts cardinality folds as overflowed_series and never folds its own series', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, selfTelemetry: true, maxSeriesPerMetric: 1 });
    for (let i = 0; i < 50; i++) metrics.count('app.user', 1, { attributes: { user: `u${i}` } });
    metrics.count('', 1);
    metrics.gauge('app.gauge', Number.NaN);
    await flush();
    // Folds and bad input happen as the interval is recorded: its own flush reports them.
    const folds = getDroppedCounts().cardinality_overflow ?? 0;
    expect(folds).toBeGreaterThan(0);
    const telemetry = telemetryOf(memory.points());
    expect(telemetry.find((point) => point.name === 'isometer.telemetry.overflowed_series')?.sum).toBe(folds);
    // Two attribute sets of one name under maxSeriesPerMetric 1, neither folded to __other__.
    expect(sums(memory.points(), 'isometer.telemetry.dropped', 'reason')).toEqual({ invalid_name: 1, invalid_value: 1 });
    expect(JSON.stringify(telemetry)).not.toContain('__other__');
  });

  it('is not recursive: the loss of its own points is counted on the client, not reported back, and an idle client sends nothing', async () => {
    const memory = memoryExporter();
    const failing = lossyExporter((points) => points);
    init({ exporters: [memory, failing], flushIntervalMs: 0, selfTelemetry: true });
    for (let i = 0; i < 5; i++) metrics.count('app.item', 1, { attributes: { i } });
    await flush();
    await flush();
    const reported = memory.points().filter((point) => point.name.startsWith('isometer.telemetry.'));
    expect(sums(reported, 'isometer.telemetry.dropped', 'exporter')).toEqual({ lossy: 5 });
    // The telemetry call to the failing exporter was lost too: counted on the client …
    expect(getDroppedCounts()).toEqual({ network_error: 5 + reported.length });
    memory.clear();
    // … but never reported, so nothing more is sent while nothing happens.
    await flush();
    await flush();
    expect(memory.points()).toEqual([]);
    expect(failing.received).toEqual([5, reported.length]);
  });

  it('goes through a real OTLP exporter: a collector that rejects the app’s request sees the exact count next', async () => {
    let first = true;
    const collector = await startCollector(() => {
      if (!first) return 200;
      first = false;
      return 400;
    });
    collectors.push(collector);
    init({
      exporters: [otlpExporter({ endpoint: collector.endpoint, protocol: 'http/protobuf', temporality: 'delta', transport: createNodeHttpTransport() })],
      flushIntervalMs: 0,
      selfTelemetry: true,
    });
    for (let i = 0; i < 30; i++) metrics.count('app.item', 1, { attributes: { i } });
    expect(await flush()).toBe(false);
    expect(await flush()).toBe(true);
    const points = metricDataPoints(collector.arrivals.slice(1)).map(({ metric, point }) => ({
      name: metric.name,
      attributes: attributeMap(point.attributes),
      value: Number(point.asDouble ?? point.asInt),
    }));
    expect(points).toEqual(
      expect.arrayContaining([
        { name: 'isometer.telemetry.dropped', attributes: { exporter: 'otlp', reason: 'export_error' }, value: 30 },
        { name: 'isometer.telemetry.exported_points', attributes: { exporter: 'otlp' }, value: 30 },
      ]),
    );
    expect(points).toHaveLength(2);
  });

  it('warns once about a value that is not a boolean, and stays off', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory, lossyExporter((points) => points)], flushIntervalMs: 0, selfTelemetry: 'yes' as unknown as boolean });
    init({ selfTelemetry: 1 as unknown as boolean });
    metrics.count('app.clicks', 1);
    await flush();
    await flush();
    expect(memory.points().map((point) => point.name)).toEqual(['app.clicks']);
    expect(warnings.filter((line) => line.includes('selfTelemetry'))).toHaveLength(1);
  });
});
