import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, flush, getClient, getDroppedCounts, init, memoryExporter, metrics, type Exporter, type MetricBatch } from '../../../../src/core/index';
import { debugLogger } from '../../../../src/core/internal/debug-logger';

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.useRealTimers();
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function warnings(fragment: string): string[] {
  return vi
    .mocked(console.warn)
    .mock.calls.map((args) => args.join(' '))
    .filter((line) => line.includes(fragment));
}

/** An exporter whose metric export stays pending until the test releases it. */
function gatedExporter(): Exporter & { received: MetricBatch[]; release(): void; shutdown: ReturnType<typeof vi.fn> } {
  let release = (): void => undefined;
  const received: MetricBatch[] = [];
  return {
    name: 'gated',
    received,
    release: () => release(),
    exportMetrics(batch) {
      received.push(batch);
      return new Promise<void>((resolve) => (release = resolve));
    },
    shutdown: vi.fn(),
  };
}

describe('flush', () => {
  it('resolves true when every exporter took the interval', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0 });
    metrics.count('x');
    expect(await flush()).toBe(true);
    expect(memory.total('x')).toBe(1);
  });

  it('resolves false before init', async () => {
    expect(await flush()).toBe(false);
  });

  it('resolves false when an exporter does not finish within timeoutMs', async () => {
    const gated = gatedExporter();
    init({ exporters: [gated], flushIntervalMs: 0 });
    metrics.count('x');
    expect(await flush(20)).toBe(false);
    expect(getDroppedCounts().export_timeout).toBe(1);
    gated.release();
  });

  it.each([
    ['NaN', Number.NaN],
    ['a negative number', -5],
    ['zero', 0],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', '100'],
  ])('uses the default timeout for %s, with one warning', async (_label, timeout) => {
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    expect(await flush(timeout as number)).toBe(true);
    expect(await close(timeout as number)).toBe(true);
    expect(warnings('flush/close(timeoutMs): timeoutMs must be a positive number')).toHaveLength(1);
  });

  it('sends on the flush interval on its own', async () => {
    vi.useFakeTimers();
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 1000 });
    metrics.count('ticked');
    await vi.advanceTimersByTimeAsync(999);
    expect(memory.batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(memory.total('ticked')).toBe(1);
  });
});

describe('close', () => {
  it('drains what was recorded, then shuts exporters down once', async () => {
    const memory = memoryExporter();
    const shutdown = vi.fn();
    init({ exporters: [{ ...memory, shutdown }], flushIntervalMs: 0 });
    metrics.count('drained', 3);
    expect(await close()).toBe(true);
    expect(memory.total('drained')).toBe(3);
    expect(await close()).toBe(true);
    expect(shutdown).toHaveBeenCalledOnce();
  });

  it('gives concurrent calls the same outcome and shuts exporters down once', async () => {
    const gated = gatedExporter();
    init({ exporters: [gated], flushIntervalMs: 0 });
    metrics.count('x');
    const first = close();
    const second = close();
    gated.release();
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(gated.received).toHaveLength(1);
    expect(gated.shutdown).toHaveBeenCalledOnce();
  });

  it('resolves true when there is nothing to close', async () => {
    expect(await close()).toBe(true);
  });

  it('stops taking data at once: what is recorded during the final flush is counted, not lost silently', async () => {
    const gated = gatedExporter();
    init({ exporters: [gated], flushIntervalMs: 0 });
    metrics.count('before');
    const closing = close();
    expect(getClient()).toBeUndefined();
    const before = getDroppedCounts().not_initialized ?? 0;
    metrics.count('during');
    expect(getDroppedCounts().not_initialized).toBe(before + 1);
    gated.release();
    expect(await closing).toBe(true);
    expect(gated.received.flatMap((batch) => batch.points.map((point) => point.name))).toEqual(['before']);
  });

  it('stops the flush interval', async () => {
    vi.useFakeTimers();
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 1000 });
    expect(vi.getTimerCount()).toBe(1);
    await close();
    expect(vi.getTimerCount()).toBe(0);
    metrics.count('after.close');
    await vi.advanceTimersByTimeAsync(5000);
    expect(memory.batches).toEqual([]);
  });

  it('makes later calls no-ops that never throw', async () => {
    const memory = memoryExporter();
    init({ exporters: [memory], flushIntervalMs: 0 });
    await close();
    expect(() => {
      metrics.count('late');
      metrics.gauge('late', 1);
      metrics.distribution('late', 1);
      metrics.counter('late').bind().add();
      metrics.timer('late').stop();
    }).not.toThrow();
    expect(await flush()).toBe(false);
    expect(memory.batches).toEqual([]);
    expect(warnings('before init() (or after close())')).toHaveLength(1);
  });
});

describe('getDroppedCounts', () => {
  it('reports the client’s drops by reason, plus calls made with no client', () => {
    const before = getDroppedCounts().not_initialized ?? 0;
    metrics.count('no.client');
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    metrics.count('bad', Number.NaN);
    metrics.count('', 1);
    metrics.count('bad', -1);
    expect(getDroppedCounts()).toEqual({ invalid_value: 2, invalid_name: 1, not_initialized: before + 1 });
  });

  it('returns a copy that later drops do not change', () => {
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    metrics.count('bad', Number.NaN);
    const snapshot = getDroppedCounts();
    metrics.count('bad', Number.NaN);
    expect(snapshot.invalid_value).toBe(1);
    expect(getDroppedCounts().invalid_value).toBe(2);
  });

  it('starts from nothing for a new client', async () => {
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    metrics.count('bad', Number.NaN);
    await close();
    init({ exporters: [memoryExporter()], flushIntervalMs: 0 });
    expect(getDroppedCounts().invalid_value).toBeUndefined();
  });
});
