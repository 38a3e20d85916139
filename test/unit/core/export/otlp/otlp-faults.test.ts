import { afterEach, describe, expect, it, vi } from 'vitest';
import { DropCounter } from '../../../../../src/core/internal/drop-counter';
import type { MetricBatch } from '../../../../../src/core/export/exporter';
import { otlpExporter, type OtlpExporterOptions } from '../../../../../src/core/export/otlp/otlp-exporter';
import type { MetricPoint } from '../../../../../src/core/metrics/types';
import { metricDataPoints, startCollector, type Behaviour, type Collector } from './otlp-collector';

const collectors: Collector[] = [];
const exporters: Array<ReturnType<typeof otlpExporter>> = [];
afterEach(async () => {
  for (const exporter of exporters.splice(0)) await exporter.shutdown!();
  for (const collector of collectors.splice(0)) await collector.close();
});

async function setUp(behaviour: (index: number) => Behaviour, options: OtlpExporterOptions = {}) {
  const collector = await startCollector(behaviour);
  collectors.push(collector);
  const exporter = otlpExporter({ endpoint: collector.endpoint, env: {}, temporality: 'delta', initialBackoffMs: 1, maxBackoffMs: 2, flushTimeoutMs: 20_000, ...options });
  exporters.push(exporter);
  return { collector, exporter };
}

function batch(points: number, name = 'jobs', from = 0): MetricBatch {
  const list: MetricPoint[] = [];
  for (let i = 0; i < points; i++) {
    list.push({ type: 'counter', name, unit: '', attributes: { job: `j${from + i}` }, startTimeMs: 1_700_000_000_000, timeMs: 1_700_000_010_000, exemplars: [], sum: 1, count: 1 });
  }
  return { resource: { attributes: {}, sdk: { name: 'isometer', version: '0.1.0' } }, startTimeMs: 1_700_000_000_000, endTimeMs: 1_700_000_010_000, points: list };
}

describe('otlpExporter against failing receivers', () => {
  it.each([
    ['503', 503, 'network_error'],
    ['500 with a body', 500, 'network_error'],
    ['429 with Retry-After: 0', { status: 429, headers: { 'retry-after': '0' } }, 'rate_limited'],
    ['a connection reset', 'reset', 'network_error'],
  ] as const)('%s on every attempt: retries, then counts each point once, never throws', async (_label, answer, reason) => {
    const { collector, exporter } = await setUp(() => answer as Behaviour, { maxRetries: 2, maxRequestBytes: 2000 });
    const drops = new DropCounter();
    expect(exporter.exportMetrics!(batch(120), { drops })).toEqual({ ok: true });
    expect(await exporter.forceFlush!()).toBe(false);
    expect(drops.snapshot()).toEqual({ [reason]: 120 });
    const requests = new Set(collector.arrivals.map((arrival) => arrival.raw.toString('base64'))).size;
    expect(requests).toBeGreaterThan(1);
    // Every request was tried three times: the first attempt and two retries.
    expect(collector.arrivals).toHaveLength(requests * 3);
    expect(exporter.pending()).toEqual({ requests: 0, bytes: 0 });
  });

  it('a receiver that never answers: each request times out, is retried, then counted; close settles', async () => {
    const { collector, exporter } = await setUp(() => 'hang', { maxRetries: 1, sendTimeoutMs: 50 });
    const drops = new DropCounter();
    exporter.exportMetrics!(batch(30), { drops });
    expect(await exporter.forceFlush!()).toBe(false);
    // The second attempt's timeout can fire before the collector has read that attempt's body.
    await vi.waitFor(() => expect(collector.arrivals).toHaveLength(2), { timeout: 5000 });
    expect(drops.snapshot()).toEqual({ network_error: 30 });
  });

  it('keeps its backlog bounded while the receiver is down, dropping the oldest batches whole and counting every point', async () => {
    let up = false;
    const { collector, exporter } = await setUp(() => (up ? 200 : 503), { maxRetries: 1000, maxBacklogItems: 100, maxConcurrentRequests: 1, initialBackoffMs: 5, maxBackoffMs: 5 });
    const drops = new DropCounter();
    for (let interval = 0; interval < 6; interval++) exporter.exportMetrics!(batch(40, 'jobs', interval * 40), { drops });
    // One batch in flight, one encoded and queued behind it; of the four left to encode, 100
    // points fit the backlog: the two oldest go, whole.
    expect(drops.snapshot()).toEqual({ queue_overflow: 80 });
    await vi.waitFor(() => expect(collector.arrivals.length).toBeGreaterThan(1));
    up = true;
    expect(await exporter.forceFlush!()).toBe(true);
    const jobs = new Set(metricDataPoints(collector.arrivals).map(({ point }) => point.attributes[0].value.stringValue));
    expect(jobs.size).toBe(160);
    expect(drops.snapshot()).toEqual({ queue_overflow: 80 });
  });

  it('counts what is still waiting at close as export_timeout, exactly', async () => {
    const { exporter } = await setUp(() => 503, { maxRetries: 1000, flushTimeoutMs: 50, maxRequestBytes: 1000 });
    const drops = new DropCounter();
    exporter.exportMetrics!(batch(200), { drops });
    await exporter.shutdown!();
    // Requests in flight at close are counted when their answer (a 503) comes.
    await vi.waitFor(() => expect(exporter.pending().requests).toBe(0));
    const counts = drops.snapshot();
    expect(Object.keys(counts).every((reason) => reason === 'export_timeout' || reason === 'network_error')).toBe(true);
    expect(counts.export_timeout).toBeGreaterThan(0);
    expect((counts.export_timeout ?? 0) + (counts.network_error ?? 0)).toBe(200);
  });

  it('a point that cannot be encoded drops its batch as export_error, counted, without throwing', async () => {
    const { exporter } = await setUp(() => 200);
    const drops = new DropCounter();
    const broken = batch(3);
    (broken.points[1] as { attributes: unknown }).attributes = null;
    (broken.points[1] as unknown as { type: string }).type = 'distribution';
    expect(() => exporter.exportMetrics!(broken, { drops })).not.toThrow();
    await exporter.forceFlush!();
    const counts = drops.snapshot();
    expect(counts.export_error).toBeGreaterThan(0);
    expect(counts.export_error).toBeLessThanOrEqual(3);
  });
});
