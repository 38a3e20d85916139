import { afterEach, describe, expect, it, vi } from 'vitest';
import { close, flush, init, memoryExporter, metrics, startSpan } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { MetricBatch, Resource } from '../../../../src/core/export/exporter';
import type { MetricPoint } from '../../../../src/core/metrics/types';
import type { SpanData } from '../../../../src/core/trace/span-data';

const resource: Resource = { attributes: {}, sdk: { name: 'isometer', version: '0.0.0' } };

function counter(name: string, sum: number, attributes: Record<string, string> = {}): MetricPoint {
  return { type: 'counter', name, unit: '', attributes, startTimeMs: 0, timeMs: 1, exemplars: [], sum, count: 1 };
}

function batch(...points: MetricPoint[]): MetricBatch {
  return { resource, startTimeMs: 0, endTimeMs: 1, points };
}

function span(spanId: string): SpanData {
  return { traceId: 'a'.repeat(32), spanId, name: spanId, startTimeMs: 0, endTimeMs: 1, status: 'ok', attributes: {}, sampled: true };
}

afterEach(async () => {
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

describe('memoryExporter', () => {
  it('keeps every batch and point it receives, oldest first', () => {
    const memory = memoryExporter();
    const first = batch(counter('a', 1));
    const second = batch(counter('b', 2), counter('c', 3));
    memory.exportMetrics!(first);
    memory.exportMetrics!(second);
    expect(memory.batches).toEqual([first, second]);
    expect(memory.points().map((point) => point.name)).toEqual(['a', 'b', 'c']);
  });

  it('finds points by name, type and a subset of attributes', () => {
    const memory = memoryExporter();
    memory.exportMetrics!(batch(counter('hits', 1, { route: '/a', method: 'GET' }), counter('hits', 2, { route: '/b' }), counter('other', 3)));
    expect(memory.find('hits')).toHaveLength(2);
    expect(memory.find('hits', { attributes: { route: '/a' } }).map((point) => point.attributes)).toEqual([{ route: '/a', method: 'GET' }]);
    expect(memory.find('hits', { type: 'gauge' })).toEqual([]);
  });

  it('totals a counter’s sums and a distribution’s counts across batches', () => {
    const memory = memoryExporter();
    memory.exportMetrics!(batch(counter('hits', 2, { route: '/a' }), counter('hits', 5, { route: '/b' })));
    memory.exportMetrics!(batch(counter('hits', 3, { route: '/a' })));
    const distribution: MetricPoint = {
      type: 'distribution',
      name: 'latency',
      unit: 'millisecond',
      attributes: {},
      startTimeMs: 0,
      timeMs: 1,
      exemplars: [],
      count: 4,
      sum: 10,
      min: 1,
      max: 4,
      histogram: { scale: 0, zeroCount: 0, positive: { offset: 0, bucketCounts: [4] }, negative: { offset: 0, bucketCounts: [] }, count: 4, sum: 10, min: 1, max: 4 },
    };
    memory.exportMetrics!(batch(distribution));
    expect(memory.total('hits')).toBe(10);
    expect(memory.total('hits', { route: '/a' })).toBe(5);
    expect(memory.total('latency')).toBe(4);
    expect(memory.total('missing')).toBe(0);
  });

  it('keeps spans and forgets everything on clear()', () => {
    const memory = memoryExporter();
    memory.exportMetrics!(batch(counter('a', 1)));
    memory.exportSpans!({ resource, spans: [span('1'), span('2')] });
    expect(memory.spans.map((data) => data.spanId)).toEqual(['1', '2']);
    memory.clear();
    expect(memory.batches).toEqual([]);
    expect(memory.spans).toEqual([]);
    expect(memory.points()).toEqual([]);
  });

  it('forgets the oldest batches and spans past its limits', () => {
    const memory = memoryExporter({ maxBatches: 2, maxSpans: 3 });
    for (const name of ['a', 'b', 'c']) memory.exportMetrics!(batch(counter(name, 1)));
    memory.exportSpans!({ resource, spans: ['1', '2', '3', '4', '5'].map(span) });
    expect(memory.points().map((point) => point.name)).toEqual(['b', 'c']);
    expect(memory.spans.map((data) => data.spanId)).toEqual(['3', '4', '5']);
  });

  it('falls back to its defaults for unusable limits', () => {
    const memory = memoryExporter({ maxBatches: -1, maxSpans: Number.NaN });
    for (let i = 0; i < 5; i++) memory.exportMetrics!(batch(counter(`m${i}`, 1)));
    expect(memory.batches).toHaveLength(5);
  });

  it('receives what a client flushes, metrics and sampled spans', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0, tracesSampleRate: 1 });
    metrics.count('flushed', 2);
    startSpan({ name: 'work', op: 'task' }, () => undefined);
    expect(await flush()).toBe(true);
    expect(memory.total('flushed')).toBe(2);
    expect(memory.spans.map((data) => data.name)).toEqual(['work']);
    expect(memory.batches[0].resource.sdk.name).toBe('isometer');
  });
});
