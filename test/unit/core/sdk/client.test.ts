import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Client } from '../../../../src/core/sdk/client';
import { DEFAULT_MAX_BATCH_SPANS } from '../../../../src/core/export/span-batcher';
import { createStackContextManager } from '../../../../src/core/internal/context';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { Exporter } from '../../../../src/core/export/exporter';
import { memoryExporter, type MemoryExporter } from '../../../../src/core/export/memory-exporter';
import type { MetricPoint } from '../../../../src/core/metrics/types';
import { resolveOptions, type IsometerOptions } from '../../../../src/core/sdk/options';
import { Span } from '../../../../src/core/trace/span';
import type { SpanData } from '../../../../src/core/trace/span-data';
import { SDK_VERSION } from '../../../../src/core/internal/version';

const clients: Client[] = [];

function createClient(options: IsometerOptions = {}): Client {
  const client = new Client(resolveOptions({ flushIntervalMs: 0, ...options })!, createStackContextManager());
  clients.push(client);
  return client;
}

function spanData(spanId: string): SpanData {
  return { traceId: 'a'.repeat(32), spanId, name: `span ${spanId}`, startTimeMs: 0, endTimeMs: 1, status: 'ok', attributes: {}, sampled: true };
}

let memory: MemoryExporter;

beforeEach(() => {
  memory = memoryExporter();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.close()));
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('Client.flush', () => {
  it('collects and finalises a large interval in slices, the event loop running between them, and delivers every point', async () => {
    const client = createClient({ exporters: [memory], prefix: 'app', beforeSendMetric: (point) => point });
    for (let i = 0; i < 1500; i++) client.aggregator.count('requests', 1, undefined, { shard: `s${i % 300}`, zone: `z${Math.floor(i / 300)}` });
    let clock = 0;
    // A clock that moves 1 ms a read, so slices end after a few dozen points on any machine.
    vi.spyOn(performance, 'now').mockImplementation(() => (clock += 1));
    const order: string[] = [];
    setImmediate(() => order.push('host'));
    const flushed = client.flush();
    order.push('flush started');
    expect(await flushed).toBe(true);
    order.push('flushed');
    expect(order).toEqual(['flush started', 'host', 'flushed']);
    const points = memory.batches.flatMap((batch) => batch.points);
    expect(points).toHaveLength(1500);
    expect(new Set(points.map((point) => point.name))).toEqual(new Set(['app.requests']));
  });

  it('hands each exporter one batch with the interval, its points and the resource', async () => {
    const client = createClient({ exporters: [memory], serviceName: 'checkout', release: '1.2.3', environment: 'prod', globalAttributes: { region: 'eu' } });
    client.aggregator.count('orders', 2, undefined, undefined);
    expect(await client.flush()).toBe(true);
    expect(memory.batches).toHaveLength(1);
    const [batch] = memory.batches;
    expect(batch.resource).toEqual({ serviceName: 'checkout', release: '1.2.3', environment: 'prod', attributes: { region: 'eu' }, sdk: { name: 'isometer', version: SDK_VERSION } });
    expect(batch.endTimeMs).toBeGreaterThanOrEqual(batch.startTimeMs);
    expect(batch.points).toEqual([expect.objectContaining({ name: 'orders', sum: 2, attributes: { region: 'eu' } })]);
  });

  it('calls no exporter for an empty interval, but still asks them to flush what they hold', async () => {
    const forceFlush = vi.fn();
    const exportMetrics = vi.fn();
    const client = createClient({ exporters: [{ name: 'spy', exportMetrics, forceFlush }] });
    expect(await client.flush()).toBe(true);
    expect(exportMetrics).not.toHaveBeenCalled();
    expect(forceFlush).toHaveBeenCalledOnce();
  });

  it('hands spans only to exporters that take spans, and metrics only to those that take metrics', async () => {
    const spansOnly = { name: 'spans-only', exportSpans: vi.fn() };
    const metricsOnly = { name: 'metrics-only', exportMetrics: vi.fn() };
    const client = createClient({ exporters: [spansOnly, metricsOnly] });
    client.recordSpan(spanData('1'));
    client.aggregator.count('x', 1, undefined, undefined);
    expect(await client.flush()).toBe(true);
    expect(spansOnly.exportSpans).toHaveBeenCalledWith(expect.objectContaining({ spans: [expect.objectContaining({ spanId: '1' })] }), expect.objectContaining({ drops: expect.anything() }));
    // What the exporter counts through its context is counted on the client.
    spansOnly.exportSpans.mock.calls[0][1].drops.record('network_error', 1);
    expect(client.drops.snapshot()).toEqual({ network_error: 1 });
    expect(metricsOnly.exportMetrics).toHaveBeenCalledOnce();
    expect(await client.flush()).toBe(true);
    expect(spansOnly.exportSpans).toHaveBeenCalledOnce();
  });

  it(`exports spans in batches of ${DEFAULT_MAX_BATCH_SPANS} as they fill, with no flush and no cap per interval`, async () => {
    const received: number[] = [];
    let twoBatches!: () => void;
    const arrived = new Promise<void>((resolve) => (twoBatches = resolve));
    const client = createClient({
      exporters: [
        {
          name: 'spans',
          exportSpans(batch) {
            received.push(batch.spans.length);
            if (received.length === 2) twoBatches();
          },
        },
      ],
    });
    for (let i = 0; i < 2 * DEFAULT_MAX_BATCH_SPANS + 3; i++) client.recordSpan(spanData(String(i)));
    await arrived;
    expect(received).toEqual([DEFAULT_MAX_BATCH_SPANS, DEFAULT_MAX_BATCH_SPANS]);
    expect(client.pendingSpans().spans).toBe(3);
    expect(await client.flush()).toBe(true);
    expect(received).toEqual([DEFAULT_MAX_BATCH_SPANS, DEFAULT_MAX_BATCH_SPANS, 3]);
    expect(client.getDroppedCounts()).toEqual({});
  });

  it('counts the spans of a batch an exporter failed to take, and flush reports it', async () => {
    const client = createClient({ exporters: [{ name: 'broken', exportSpans: () => ({ ok: false, retryable: false, reason: 'refused' }) }] });
    client.recordSpan(spanData('1'));
    client.recordSpan(spanData('2'));
    expect(await client.flush()).toBe(false);
    expect(client.getDroppedCounts()).toEqual({ export_error: 2 });
  });

  it('applies the prefix to every exported name', async () => {
    const client = createClient({ exporters: [memory], prefix: 'shop' });
    client.aggregator.count('cart.add', 1, undefined, undefined);
    client.aggregator.gauge('cart.size', 3, undefined, undefined);
    await client.flush();
    expect(
      memory
        .points()
        .map((point) => point.name)
        .sort(),
    ).toEqual(['shop.cart.add', 'shop.cart.size']);
  });

  it('lets beforeSendMetric change a point', async () => {
    const client = createClient({
      exporters: [memory],
      beforeSendMetric: (point) => ({ ...point, attributes: { ...point.attributes, checked: true } }),
    });
    client.aggregator.count('x', 1, undefined, { a: 'b' });
    await client.flush();
    expect(memory.points()[0].attributes).toEqual({ a: 'b', checked: true });
  });

  it('shows beforeSendMetric the prefixed name and merged attributes', async () => {
    const seen: MetricPoint[] = [];
    const client = createClient({ exporters: [memory], prefix: 'app', globalAttributes: { env: 'prod' }, beforeSendMetric: (point) => (seen.push(point), point) });
    client.aggregator.count('x', 1, undefined, { a: 'b' });
    await client.flush();
    expect(seen).toEqual([expect.objectContaining({ name: 'app.x', attributes: { a: 'b', env: 'prod' } })]);
  });

  it('resolves false rather than rejecting when an exporter cannot even be inspected', async () => {
    const hostile = {
      name: 'hostile',
      get exportMetrics(): never {
        throw new Error('getter on the exporter');
      },
    } as unknown as Exporter;
    const client = createClient({ exporters: [memory] });
    client.addExporter(hostile);
    client.aggregator.count('x', 1, undefined, undefined);
    await expect(client.flush()).resolves.toBe(false);
  });

  it('flushes on its interval, and the interval survives a failing flush', async () => {
    vi.useFakeTimers();
    let calls = 0;
    const flaky: Exporter = {
      name: 'flaky',
      exportMetrics(batch) {
        calls++;
        if (calls === 1) throw new Error('first export fails');
        memory.exportMetrics!(batch);
      },
    };
    const client = createClient({ exporters: [flaky], flushIntervalMs: 500 });
    client.aggregator.count('x', 1, undefined, undefined);
    await vi.advanceTimersByTimeAsync(500);
    client.aggregator.count('x', 2, undefined, undefined);
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toBe(2);
    expect(memory.total('x')).toBe(2);
    expect(client.getDroppedCounts()).toEqual({ export_error: 1 });
  });
});

describe('Client spans and exporters', () => {
  it('queues sampled spans when they end and feeds every span’s duration to span.duration', async () => {
    const client = createClient({ exporters: [memory] });
    const propagation = { traceId: 'b'.repeat(32), sampled: true, sampleRand: 0.1, foreignBaggage: [], randomTraceId: true };
    const sampled = new Span({ traceId: propagation.traceId, spanId: '1'.repeat(16), sampled: true, propagation, name: 'kept', op: 'task', attributes: {} }, client);
    const unsampled = new Span({ traceId: propagation.traceId, spanId: '2'.repeat(16), sampled: false, propagation, name: 'not kept', attributes: {} }, client);
    sampled.end();
    unsampled.end();
    await client.flush();
    expect(memory.spans.map((span) => span.name)).toEqual(['kept']);
    const durations = memory.find('span.duration');
    expect(durations.map((point) => point.attributes)).toEqual([{ 'span.name': 'kept', 'span.op': 'task' }, { 'span.name': 'not kept' }]);
    expect(durations[0].exemplars[0]).toMatchObject({ traceId: propagation.traceId, spanId: '1'.repeat(16), sampled: true });
  });

  it('queues no span while no exporter takes spans, and starts once one is added', async () => {
    const client = createClient({ exporters: [{ name: 'metrics-only', exportMetrics: () => undefined }] });
    const propagation = { traceId: 'c'.repeat(32), sampled: true, sampleRand: 0.1, foreignBaggage: [], randomTraceId: true };
    const end = (spanId: string): void => new Span({ traceId: propagation.traceId, spanId, sampled: true, propagation, name: spanId, attributes: {} }, client).end();
    end('1'.repeat(16));
    expect(client.pendingSpans().spans).toBe(0);
    client.addExporter(memory);
    end('2'.repeat(16));
    expect(client.pendingSpans().spans).toBe(1);
    await client.flush();
    expect(memory.spans.map((span) => span.spanId)).toEqual(['2'.repeat(16)]);
  });

  it('adds exporters after construction and lists them in order', () => {
    const client = createClient({ exporters: [memory] });
    client.addExporter({ name: 'second', exportMetrics: () => undefined });
    expect(client.exporterNames()).toEqual(['memory', 'second']);
  });
});

describe('Client.close', () => {
  it('becomes inactive at once and runs every cleanup even when one throws', async () => {
    const client = createClient({ exporters: [memory] });
    const later = vi.fn();
    client.onClose(() => {
      throw new Error('cleanup failed');
    });
    client.onClose(later);
    const closing = client.close();
    expect(client.isActive).toBe(false);
    expect(await closing).toBe(true);
    expect(later).toHaveBeenCalledOnce();
  });

  it('resolves false when an exporter fails to shut down within the timeout', async () => {
    const client = createClient({ exporters: [{ name: 'stuck', exportMetrics: () => undefined, shutdown: () => new Promise<void>(() => undefined) }] });
    expect(await client.close(20)).toBe(false);
  });

  it('ignores spans that end after close', async () => {
    const client = createClient({ exporters: [memory] });
    await client.close();
    client.recordSpan(spanData('late'));
    await client.flush();
    expect(memory.spans).toEqual([]);
  });
});
