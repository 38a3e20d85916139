import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { close, flush, getClient, getDroppedCounts, init, metrics, type Exporter, type MetricBatch } from '../../../../src/core/index';
import { debugLogger, MAX_WARNED_KEYS } from '../../../../src/core/internal/debug-logger';
import { MAX_CONCURRENT_FLUSHES } from '../../../../src/core/sdk/client';

beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(async () => {
  vi.useRealTimers();
  await close();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

const hung: Exporter = { name: 'hung', exportMetrics: () => new Promise<void>(() => undefined) };

describe('drops counted at close', () => {
  it('counts what the final flush lost on the closing client, and the global counts agree after close', async () => {
    vi.useFakeTimers();
    const client = init({ exporters: [hung], flushIntervalMs: 0 });
    for (let i = 0; i < 100; i++) metrics.count('closing.lost', 1, { attributes: { i } });
    const closed = close(500);
    await vi.advanceTimersByTimeAsync(600);
    expect(await closed).toBe(false);
    expect(getClient()).toBeUndefined();
    expect(client.getDroppedCounts()).toEqual({ export_timeout: 100 });
    expect(getDroppedCounts()).toEqual(client.getDroppedCounts());
  });
});

describe('flush and close deadlines', () => {
  it('settle with false at their timeout when an exporter hangs', async () => {
    vi.useFakeTimers();
    init({ exporters: [hung], flushIntervalMs: 0 });
    metrics.count('hung', 1);
    let flushed: boolean | undefined;
    void flush(1000).then((ok) => (flushed = ok));
    await vi.advanceTimersByTimeAsync(999);
    expect(flushed).toBeUndefined();
    await vi.advanceTimersByTimeAsync(30);
    expect(flushed).toBe(false);
  });

  it('close spends one budget on the flush and the shutdowns together', async () => {
    vi.useFakeTimers();
    const slowShutdown: Exporter = { name: 'slow', exportMetrics: () => new Promise<void>((resolve) => setTimeout(resolve, 800)), shutdown: () => new Promise<void>(() => undefined) };
    init({ exporters: [slowShutdown], flushIntervalMs: 0 });
    metrics.count('slow', 1);
    let closed: boolean | undefined;
    void close(1000).then((ok) => (closed = ok));
    // At most two slacks (25 ms each) past the budget: the backstop, and the moment it leaves an
    // overdue last phase to count what it lost.
    await vi.advanceTimersByTimeAsync(1050);
    expect(closed).toBe(false);
  });
});

describe('a flush from inside an export', () => {
  it('is bounded: an exporter that records and flushes on every export does not recurse', async () => {
    let exports = 0;
    const reentrant: Exporter = {
      name: 'reentrant',
      exportMetrics(batch: MetricBatch) {
        exports++;
        metrics.count('exported', batch.points.length);
        void flush(1000);
      },
    };
    init({ exporters: [reentrant], flushIntervalMs: 0 });
    metrics.count('first', 1);
    await flush(1000);
    expect(exports).toBeLessThanOrEqual(MAX_CONCURRENT_FLUSHES);
    // Nothing was lost: what the skipped flushes would have sent waits for the next one.
    expect(getDroppedCounts()).toEqual({});
    expect(getClient()?.hasPendingData()).toBe(true);
  });
});

describe('interval times', () => {
  it('never end before they start, when the wall clock goes back', async () => {
    const batches: MetricBatch[] = [];
    init({ exporters: [{ name: 'keep', exportMetrics: (batch) => void batches.push(batch) }], flushIntervalMs: 0 });
    metrics.count('before', 1);
    await flush();
    const realNow = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(realNow - 3_600_000);
    metrics.count('after.clock.went.back', 1);
    await flush();
    expect(batches).toHaveLength(2);
    for (const batch of batches) expect(batch.endTimeMs).toBeGreaterThanOrEqual(batch.startTimeMs);
    expect(batches[1].startTimeMs).toBe(batches[0].endTimeMs);
  });
});

describe('warn once', () => {
  const warned = () => vi.mocked(console.warn).mock.calls.length;

  it('prints a key once however many distinct keys came before it', () => {
    for (let i = 0; i < MAX_WARNED_KEYS + 500; i++) debugLogger.warnOnce(`key-${i}`, `warning ${i}`);
    const printed = warned();
    // The cap's worth one by one, then one summary line for the rest.
    expect(printed).toBe(MAX_WARNED_KEYS + 1);
    for (let i = 0; i < MAX_WARNED_KEYS + 500; i++) debugLogger.warnOnce(`key-${i}`, `warning ${i}`);
    for (let i = 0; i < 5; i++) debugLogger.warnOnce('key-0', 'warning 0');
    expect(warned()).toBe(printed);
  });

  it('summarises new keys past the cap at most once per interval', () => {
    const start = performance.now();
    const clock = vi.spyOn(performance, 'now').mockReturnValue(start);
    for (let i = 0; i < MAX_WARNED_KEYS; i++) debugLogger.warnOnce(`key-${i}`, `warning ${i}`);
    for (let i = 0; i < 300; i++) debugLogger.warnOnce(`late-${i}`, `late ${i}`);
    expect(warned()).toBe(MAX_WARNED_KEYS + 1);
    for (let i = 300; i < 350; i++) debugLogger.warnOnce(`late-${i}`, `late ${i}`);
    expect(warned()).toBe(MAX_WARNED_KEYS + 1);
    clock.mockReturnValue(start + 61_000);
    for (let i = 350; i < 600; i++) debugLogger.warnOnce(`late-${i}`, `late ${i}`);
    expect(warned()).toBe(MAX_WARNED_KEYS + 2);
    expect(String(vi.mocked(console.warn).mock.calls.at(-1))).toContain('more distinct warning');
  });
});
