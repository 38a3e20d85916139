import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DropCounter } from '../../../../src/core/internal/drop-counter';
import { estimateSpanBytes, SpanBatcher } from '../../../../src/core/export/span-batcher';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import type { SpanData } from '../../../../src/core/trace/span-data';

function span(id: number, attributes: SpanData['attributes'] = {}): SpanData {
  return { traceId: 'a'.repeat(32), spanId: id.toString(16).padStart(16, '0'), name: `span ${id}`, startTimeMs: 0, endTimeMs: 1, status: 'ok', attributes, sampled: true };
}

/** A send that records each batch and settles when the test says so. */
function recordingSend() {
  const batches: SpanData[][] = [];
  const settle: Array<(ok: boolean) => void> = [];
  const send = (spans: SpanData[]): Promise<boolean> => {
    batches.push(spans);
    return new Promise<boolean>((resolve) => settle.push(resolve));
  };
  return { batches, settle, send };
}

let drops: DropCounter;

beforeEach(() => {
  drops = new DropCounter();
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  debugLogger.resetWarnings();
});

describe('SpanBatcher', () => {
  it('sends full batches as soon as they hold maxBatchSpans spans, and the tail after its delay', async () => {
    vi.useFakeTimers();
    const { batches, send } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: 3, delayMs: 60_000 });
    for (let i = 0; i < 7; i++) batcher.add(span(i));
    // Not from inside the call that filled the batch (a span.end() in the host's request).
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(batches.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(batches.flat().map((item) => item.name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `span ${i}`));
  });

  it('sends full batches from add itself when the host has not yielded for four of them', () => {
    vi.useFakeTimers();
    const { batches, send } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: 2, delayMs: 60_000 });
    for (let i = 0; i < 7; i++) batcher.add(span(i));
    expect(batches).toEqual([]);
    batcher.add(span(7));
    expect(batches.map((batch) => batch.length)).toEqual([2, 2, 2, 2]);
    expect(batcher.pending().spans).toBe(0);
  });

  it('sends a batch as soon as its estimated bytes reach maxBatchBytes', async () => {
    vi.useFakeTimers();
    const { batches, send } = recordingSend();
    const size = estimateSpanBytes(span(1));
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: 1000, maxBatchBytes: size * 2, delayMs: 60_000 });
    batcher.add(span(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([]);
    batcher.add(span(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(batches.map((batch) => batch.length)).toEqual([2]);
  });

  it('sends a batch that is not full once delayMs has passed since its first span', async () => {
    vi.useFakeTimers();
    const { batches, send } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: 100, delayMs: 1000 });
    batcher.add(span(1));
    await vi.advanceTimersByTimeAsync(600);
    batcher.add(span(2));
    await vi.advanceTimersByTimeAsync(399);
    expect(batches).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(batches.map((batch) => batch.length)).toEqual([2]);
  });

  it('sends a span larger than a whole batch alone, never dropping it', async () => {
    const { batches, send, settle } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchBytes: 300 });
    batcher.add(span(1));
    batcher.add(span(2, { blob: 'x'.repeat(500) }));
    batcher.add(span(3));
    const flushed = batcher.flush();
    expect(batches.map((batch) => batch.map((item) => item.name))).toEqual([['span 1'], ['span 2'], ['span 3']]);
    for (const resolve of settle) resolve(true);
    expect(await flushed).toBe(true);
    expect(drops.snapshot()).toEqual({});
  });

  it('drops and counts new spans once waiting plus in-flight bytes would pass maxQueueBytes, and takes them again once an export settles', async () => {
    const { batches, send, settle } = recordingSend();
    const size = estimateSpanBytes(span(1));
    const batcher = new SpanBatcher(send, drops, { maxQueueBytes: size * 3, delayMs: 60_000 });
    batcher.add(span(1));
    batcher.add(span(2));
    const flushed = batcher.flush();
    // Two spans in flight, one more fits, the fourth does not.
    batcher.add(span(3));
    batcher.add(span(4));
    expect(drops.snapshot()).toEqual({ queue_overflow: 1 });
    expect(batcher.pending()).toEqual({ spans: 1, bytes: size * 3 });
    settle[0](true);
    expect(await flushed).toBe(true);
    batcher.add(span(5));
    expect(drops.snapshot()).toEqual({ queue_overflow: 1 });
    expect(batcher.pending()).toEqual({ spans: 2, bytes: size * 2 });
    const second = batcher.flush();
    expect(batches[1].map((item) => item.name)).toEqual(['span 3', 'span 5']);
    settle[1](true);
    expect(await second).toBe(true);
  });

  it('flush waits for exports already under way and reports a failure once', async () => {
    vi.useFakeTimers();
    const { send, settle } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: 1 });
    batcher.add(span(1));
    await vi.advanceTimersByTimeAsync(0);
    let done: boolean | undefined;
    void batcher.flush().then((ok) => (done = ok));
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBeUndefined();
    settle[0](false);
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(false);
    expect(await batcher.flush()).toBe(true);
  });

  it('survives a send that throws or rejects: the flush says false, nothing escapes', async () => {
    const throwing = new SpanBatcher(() => {
      throw new Error('boom');
    }, drops);
    throwing.add(span(1));
    expect(await throwing.flush()).toBe(false);
    const rejecting = new SpanBatcher(() => Promise.reject(new Error('no')), drops);
    rejecting.add(span(1));
    expect(await rejecting.flush()).toBe(false);
  });

  it('ignores nonsense options and keeps its defaults', async () => {
    const { batches, send, settle } = recordingSend();
    const batcher = new SpanBatcher(send, drops, { maxBatchSpans: -1, maxBatchBytes: Number.NaN, maxQueueBytes: 0, delayMs: -5 });
    for (let i = 0; i < 600; i++) batcher.add(span(i));
    const flushed = batcher.flush();
    expect(batches.map((batch) => batch.length)).toEqual([512, 88]);
    for (const resolve of settle) resolve(true);
    expect(await flushed).toBe(true);
    expect(drops.snapshot()).toEqual({});
  });
});
