import { debugLogger } from '../internal/debug-logger';
import { cancelTimeout, scheduleTimeout, type TimerHandle } from '../internal/runtime-globals';
import type { SpanData } from '../trace/span-data';
import type { DropRecorder } from '../internal/drop-counter';

/** How spans are gathered into export batches. */
export interface SpanBatcherOptions {
  /** A batch leaves as soon as it holds this many spans. Default 512 (OpenTelemetry's `maxExportBatchSize`). */
  maxBatchSpans?: number;
  /** …or this many estimated encoded bytes. Default 256 KiB. */
  maxBatchBytes?: number;
  /** Spans waiting or being exported, in estimated bytes; past it a new span is dropped and counted. Default 8 MiB. */
  maxQueueBytes?: number;
  /** A batch that is not full leaves after this long. Default 5000 ms (OpenTelemetry's `scheduledDelayMillis`). */
  delayMs?: number;
}

/** Hands one batch to the exporters; resolves true when every exporter took it. Must not reject. */
export type SendSpans = (spans: SpanData[]) => Promise<boolean>;

export const DEFAULT_MAX_BATCH_SPANS = 512;
export const DEFAULT_MAX_BATCH_BYTES = 256 * 1024;
export const DEFAULT_MAX_SPAN_QUEUE_BYTES = 8 * 1024 * 1024;
export const DEFAULT_SPAN_BATCH_DELAY_MS = 5000;

/** Full batches waiting past which they are sent from `add` itself. */
const INLINE_AFTER_BATCHES = 4;

/** What a span costs on the wire before its name and attributes (ids, times, kind, status, framing). */
const SPAN_BASE_BYTES = 160;
/** What an attribute costs besides its key and a string value (framing, a number or boolean). */
const ATTRIBUTE_BASE_BYTES = 24;

/**
 * An estimate of a span's encoded size (OTLP JSON and Sentry items are within a small factor of
 * it), in one pass over the attributes: exact bytes would mean encoding every span twice.
 */
export function estimateSpanBytes(span: SpanData): number {
  let bytes = SPAN_BASE_BYTES + span.name.length + (span.op?.length ?? 0) + (span.statusMessage?.length ?? 0);
  const attributes = span.attributes;
  for (const key in attributes) {
    const value = attributes[key];
    bytes += ATTRIBUTE_BASE_BYTES + key.length + (typeof value === 'string' ? value.length : 0);
  }
  return bytes;
}

/**
 * Gathers finished spans and hands them to the exporters in batches: a batch leaves when it is
 * full by count or by bytes, or `delayMs` after its first span, whichever comes first, so a busy
 * server exports as fast as it makes spans and a quiet one still exports within the delay. Spans
 * waiting and spans whose export has not settled share one budget in bytes: past it, new spans
 * are dropped and counted (`queue_overflow`), as OpenTelemetry's batch processor drops them,
 * rather than holding unbounded memory behind a backend that does not keep up.
 *
 * @example
 * const batcher = new SpanBatcher((spans) => exportToAll(spans), client.drops);
 * batcher.add(span.toData());
 * await batcher.flush();
 */
export class SpanBatcher {
  private readonly maxBatchSpans: number;
  private readonly maxBatchBytes: number;
  private readonly maxQueueBytes: number;
  private readonly delayMs: number;
  private waiting: SpanData[] = [];
  /** The estimated bytes of each waiting span, in the same order. */
  private waitingSizes: number[] = [];
  private waitingBytes = 0;
  /** Bytes of spans handed to an export that has not settled yet. */
  private inFlightBytes = 0;
  private readonly inFlight = new Set<Promise<boolean>>();
  private timer: TimerHandle;
  private timerSet = false;
  /** A full batch is due: sent from a timer, not from inside the `span.end()` that filled it. */
  private sendSoon = false;
  private failedSince = false;

  constructor(
    private readonly send: SendSpans,
    private readonly drops: DropRecorder,
    options: SpanBatcherOptions = {},
  ) {
    this.maxBatchSpans = positive(options.maxBatchSpans, DEFAULT_MAX_BATCH_SPANS);
    this.maxBatchBytes = positive(options.maxBatchBytes, DEFAULT_MAX_BATCH_BYTES);
    this.maxQueueBytes = positive(options.maxQueueBytes, DEFAULT_MAX_SPAN_QUEUE_BYTES);
    this.delayMs = typeof options.delayMs === 'number' && options.delayMs >= 0 ? options.delayMs : DEFAULT_SPAN_BATCH_DELAY_MS;
  }

  /** Spans waiting, and the estimated bytes of those waiting or being exported. */
  pending(): { spans: number; bytes: number } {
    return { spans: this.waiting.length, bytes: this.waitingBytes + this.inFlightBytes };
  }

  /** Queues a finished span; drops and counts it when the byte budget is spent. */
  add(span: SpanData): void {
    const bytes = estimateSpanBytes(span);
    if (this.waitingBytes + this.inFlightBytes + bytes > this.maxQueueBytes) {
      this.drops.record('queue_overflow');
      debugLogger.warnOnce('spans:queue-full', `spans are made faster than the exporters take them; past ${this.maxQueueBytes} bytes waiting, new spans are dropped and counted.`);
      return;
    }
    this.waiting.push(span);
    this.waitingSizes.push(bytes);
    this.waitingBytes += bytes;
    // The host has not yielded for several full batches (a synchronous burst): the timer cannot
    // run, so full batches leave from here rather than pile up toward the budget.
    if (this.waiting.length >= INLINE_AFTER_BATCHES * this.maxBatchSpans || this.waitingBytes >= INLINE_AFTER_BATCHES * this.maxBatchBytes) this.sendBatches(true);
    else if (this.waiting.length >= this.maxBatchSpans || this.waitingBytes >= this.maxBatchBytes) this.schedule(0);
    else if (!this.timerSet) this.schedule(this.delayMs);
  }

  /**
   * Sends everything waiting and resolves once every export started so far has settled: true
   * when all of them succeeded (and none failed since the last flush).
   */
  async flush(): Promise<boolean> {
    this.clearTimer();
    // Nothing waiting (a page that only counts): sendBatches, compiled at its first call, is not run.
    if (this.waiting.length > 0) this.sendBatches(false);
    const results = await Promise.all([...this.inFlight]);
    const ok = !this.failedSince && results.every(Boolean);
    this.failedSince = false;
    return ok;
  }

  /** Stops the timer; spans still waiting stay for a final `flush()`. */
  stop(): void {
    this.clearTimer();
  }

  private schedule(delayMs: number): void {
    if (delayMs === 0) {
      if (this.sendSoon) return;
      this.clearTimer();
      this.sendSoon = true;
    }
    this.timerSet = true;
    this.timer = scheduleTimeout(() => {
      this.timerSet = false;
      const onlyFull = this.sendSoon;
      this.sendSoon = false;
      this.sendBatches(onlyFull);
      // The tail of a full batch waits for its own delay (or for more spans to fill it).
      if (this.waiting.length > 0) this.schedule(this.delayMs);
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timerSet) cancelTimeout(this.timer);
    this.timerSet = false;
    this.sendSoon = false;
  }

  /** Cuts the waiting spans into batches within both limits and sends each (`onlyFull`: keeps a tail that is not full). */
  private sendBatches(onlyFull: boolean): void {
    const spans = this.waiting;
    const sizes = this.waitingSizes;
    let first = 0;
    while (first < spans.length) {
      let end = first;
      let bytes = 0;
      // A span larger than a whole batch still leaves, alone: the limit shapes batches, it loses nothing.
      while (end < spans.length && end - first < this.maxBatchSpans && (end === first || bytes + sizes[end] <= this.maxBatchBytes)) bytes += sizes[end++];
      const full = end - first === this.maxBatchSpans || end < spans.length || bytes >= this.maxBatchBytes;
      if (onlyFull && !full) break;
      this.start(first === 0 && end === spans.length ? spans : spans.slice(first, end), bytes);
      this.waitingBytes -= bytes;
      first = end;
    }
    this.waiting = first === spans.length ? [] : spans.slice(first);
    this.waitingSizes = first === sizes.length ? [] : sizes.slice(first);
    if (this.waiting.length === 0) this.waitingBytes = 0;
  }

  private start(batch: SpanData[], bytes: number): void {
    this.inFlightBytes += bytes;
    let sending: Promise<boolean>;
    try {
      sending = this.send(batch);
    } catch (error) {
      debugLogger.internalError('spans: export', error);
      sending = Promise.resolve(false);
    }
    const settled = sending.then(
      (ok) => ok,
      () => false,
    );
    const tracked = settled.then((ok) => {
      this.inFlightBytes -= bytes;
      this.inFlight.delete(tracked);
      if (!ok) this.failedSince = true;
      return ok;
    });
    this.inFlight.add(tracked);
  }
}

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.floor(value) : fallback;
}
