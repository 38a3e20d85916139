import { afterEach, describe, expect, it, vi } from 'vitest';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import type { MetricBatch } from '../../../../src/core/export/exporter';
import type { MetricPoint } from '../../../../src/core/metrics/types';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { createNodeHttpTransport } from '../../../../src/node/http-transport';
import { datadogExporter, type DatadogExporterOptions } from '../../../../src/node/datadog/datadog-exporter';
import { startDatadogIntake, type DatadogFault, type DatadogIntake } from '../../../support/datadog-intake';

const intakes: DatadogIntake[] = [];
afterEach(async () => {
  for (const intake of intakes.splice(0)) await intake.close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

async function intake(fault?: DatadogFault): Promise<DatadogIntake> {
  const started = await startDatadogIntake({ fault });
  intakes.push(started);
  return started;
}

const FAST: DatadogExporterOptions = { initialBackoffMs: 1, maxBackoffMs: 10 };

/** One interval: `counters` counter series (value 1 each) and `distributions` distribution series. */
function batch(counters: number, distributions = 0, tag = 'a'): MetricBatch {
  const at = Date.now();
  const base = { unit: '', startTimeMs: at - 10_000, timeMs: at, exemplars: [] };
  const points: MetricPoint[] = [];
  for (let i = 0; i < counters; i++) points.push({ ...base, type: 'counter', name: 'requests', attributes: { tag, i }, sum: 1, count: 1 });
  for (let i = 0; i < distributions; i++) {
    const histogram = { scale: 0, zeroCount: 0, positive: { offset: 3, bucketCounts: [2] }, negative: { offset: 0, bucketCounts: [] }, count: 2, sum: 22, min: 10, max: 12 };
    points.push({ ...base, type: 'distribution', name: 'latency', attributes: { tag, i }, count: 2, sum: 22, min: 10, max: 12, histogram });
  }
  return { resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } }, startTimeMs: at - 10_000, endTimeMs: at, points };
}

async function exportAndClose(options: DatadogExporterOptions, batches: MetricBatch[], drops: DropCounter): Promise<boolean> {
  const exporter = datadogExporter({ ...FAST, ...options });
  for (const each of batches) expect(await exporter.exportMetrics!(each, { drops })).toEqual({ ok: true });
  return (await exporter.forceFlush!()) as boolean;
}

describe('datadogExporter against a failing intake', () => {
  it('waits out a 429 with Retry-After: 1, then delivers once with nothing dropped', async () => {
    const arrivals: number[] = [];
    const datadog = await intake((index) => {
      arrivals.push(performance.now());
      return index === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined;
    });
    const drops = new DropCounter();
    expect(await exportAndClose({ apiKey: datadog.apiKey, endpoint: datadog.endpoint }, [batch(3)], drops)).toBe(true);
    expect(datadog.series).toHaveLength(3);
    expect(arrivals[1] - arrivals[0]).toBeGreaterThanOrEqual(990);
    expect(drops.snapshot()).toEqual({});
  });

  it('retries a 500, then counts every point of a request that kept failing as network_error, exactly', async () => {
    const datadog = await intake(() => ({ status: 500 }));
    const drops = new DropCounter();
    expect(await exportAndClose({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, maxRetries: 2 }, [batch(7, 4)], drops)).toBe(false);
    // Two requests (series and distributions), each tried three times.
    expect(datadog.requests).toHaveLength(0);
    await datadog.arrived(6);
    expect(drops.snapshot()).toEqual({ network_error: 11 });
  });

  it('counts network_error exactly when every connection is reset', async () => {
    const datadog = await intake(() => 'reset');
    const drops = new DropCounter();
    expect(await exportAndClose({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, maxRetries: 1 }, [batch(5), batch(2, 3, 'b')], drops)).toBe(false);
    expect(drops.snapshot()).toEqual({ network_error: 10 });
  });

  it('times out an intake that never answers, and counts network_error exactly', async () => {
    const datadog = await intake(() => 'hang');
    const drops = new DropCounter();
    const transport = createNodeHttpTransport({ timeoutMs: 100 });
    expect(await exportAndClose({ apiKey: datadog.apiKey, endpoint: datadog.endpoint, maxRetries: 1, transport }, [batch(4, 1)], drops)).toBe(false);
    expect(drops.snapshot()).toEqual({ network_error: 5 });
    transport.close?.();
  });

  it('does not retry a 400 or a 403: the points are counted as export_error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const datadog = await intake((index) => ({ status: index === 0 ? 400 : 403 }));
    const drops = new DropCounter();
    expect(await exportAndClose({ apiKey: datadog.apiKey, endpoint: datadog.endpoint }, [batch(6, 2)], drops)).toBe(false);
    await datadog.arrived(2);
    expect(drops.snapshot()).toEqual({ export_error: 8 });
  });

  it('keeps its queue bounded while the intake hangs, dropping the oldest requests and counting every point', async () => {
    const datadog = await intake(() => 'hang');
    const drops = new DropCounter();
    const transport = createNodeHttpTransport({ timeoutMs: 60_000 });
    const exporter = datadogExporter({ ...FAST, apiKey: datadog.apiKey, endpoint: datadog.endpoint, transport, maxRetries: 0, maxConcurrentRequests: 1, maxQueueItems: 2 });
    // Batch n has n counter points, so each drop can be told apart by its count. The transport's
    // timeout is long so that request 1 is still in flight however slowly this loop runs.
    for (let n = 1; n <= 5; n++) {
      expect(exporter.exportMetrics!(batch(n, 0, `b${n}`), { drops })).toEqual({ ok: true });
      await exporter.encoded();
      expect(exporter.pending().requests).toBeLessThanOrEqual(3);
    }
    // 1 is in flight; 2 and 3 were pushed out by 4 and 5.
    expect(drops.snapshot()).toEqual({ queue_overflow: 2 + 3 });
    // Closing with 300 ms to go: request 1 is still hanging then, and 4 and 5 never got their turn.
    await exporter.shutdown!({ drops, timeoutMs: 300 });
    expect(drops.snapshot()).toEqual({ queue_overflow: 5, export_timeout: 1 + 4 + 5 });
    expect(exporter.pending()).toEqual({ requests: 0, bytes: 0 });
    // Nothing after shutdown is sent; it is counted.
    exporter.exportMetrics!(batch(2), { drops });
    await exporter.encoded();
    expect(drops.snapshot()).toEqual({ queue_overflow: 5, export_timeout: 10, export_error: 2 });
    transport.close?.();
  });
});
