import { setTraceStateCodec, type CarrierClient } from '../carrier';
import { traceStateCodec } from '../trace/codecs/trace-state-codec';
import type { IntegrationClient } from './integration';
import type { TracingClient } from '../trace/tracing-client';
import type { ContextManager } from '../internal/context';
import { debugLogger } from '../internal/debug-logger';
import { DropCounter, type DroppedCounts } from '../internal/drop-counter';
import type { Exporter, MetricBatch, Resource, SpanBatch } from '../export/exporter';
import { runExport } from '../export/run-export';
import { SpanBatcher, type SpanBatcherOptions } from '../export/span-batcher';
import { MetricsAggregator } from '../metrics/aggregator';
import type { MetricPoint, MetricType } from '../metrics/types';
import type { ResolvedOptions } from './options';
import { cancelInterval, now, scheduleInterval, type TimerHandle } from '../internal/runtime-globals';
import type { Span } from '../trace/span';
import type { SpanData } from '../trace/span-data';
import { SDK_NAME, SDK_VERSION } from '../internal/version';
import { errorMessage } from '../internal/error-message';
import { isThenable } from '../internal/on-settled';
import { TimeSlice, yieldToHost } from '../internal/yield-to-host';
import { SelfTelemetry } from './self-telemetry';
import { SHUTDOWN_GRACE_MS, SHUTDOWN_RESERVE_MS, withDeadline } from './with-deadline';

/**
 * Flushes running at once. An exporter that calls `flush()` from inside its export (directly or
 * after an await) would otherwise start a flush per point it records; past this, a flush is
 * skipped (what it would have sent stays for the next one, nothing is lost).
 */
export const MAX_CONCURRENT_FLUSHES = 4;

/**
 * The configured SDK: aggregates metrics and hands them to its exporters on every flush; finished
 * spans leave in batches as they fill (see SpanBatcher), and on every flush. One lives at a time,
 * reachable through `getClient()`.
 */
export class Client implements CarrierClient, IntegrationClient, TracingClient {
  readonly drops = new DropCounter();
  readonly aggregator: MetricsAggregator;
  readonly resource: Resource;
  private readonly exporters: Exporter[];
  private readonly spanBatcher: SpanBatcher;
  private exportsSpans: boolean;
  private timer: TimerHandle;
  private closed = false;
  private closing: Promise<boolean> | undefined;
  private flushesInFlight = 0;
  private readonly cleanups: Array<() => void> = [];
  /** `selfTelemetry: true`: isometer's own loss, sent as `isometer.telemetry.*` series. */
  private readonly selfTelemetry: SelfTelemetry | undefined;

  constructor(
    readonly options: ResolvedOptions,
    readonly contextManager: ContextManager,
    spanBatching: SpanBatcherOptions = {},
  ) {
    // A client reads and writes all of tracestate; a page's front, before its engine, only its own `ot` entry.
    setTraceStateCodec(traceStateCodec);
    this.spanBatcher = new SpanBatcher((spans) => this.sendSpans(spans), this.drops, spanBatching);
    this.aggregator = new MetricsAggregator(contextManager, this.drops, options.maxSeriesPerMetric, options.globalAttributes);
    this.aggregator.sampleDistributionsWithTraces = options.sampleDistributionsWithTraces === true;
    this.exporters = [...options.exporters];
    this.exportsSpans = this.exporters.some((exporter) => typeof exporter.exportSpans === 'function');
    this.selfTelemetry = options.selfTelemetry === true ? new SelfTelemetry(this.drops, options.globalAttributes) : undefined;
    this.resource = {
      serviceName: options.serviceName,
      release: options.release,
      environment: options.environment,
      attributes: options.globalAttributes,
      sdk: { name: SDK_NAME, version: SDK_VERSION },
    };
    // The interval never holds a process open: only explicit flushes and closes do.
    if (options.flushIntervalMs > 0) this.timer = scheduleInterval(() => void this.flushWithin(options.exportTimeoutMs, false), options.flushIntervalMs);
  }

  /** True until `close()` is called. */
  get isActive(): boolean {
    return !this.closed;
  }

  /** Adds an exporter after `init` (runtime entries add the ones their environment asks for). */
  addExporter(exporter: Exporter): void {
    this.exporters.push(exporter);
    this.exportsSpans ||= typeof exporter.exportSpans === 'function';
  }

  /** Exporter names, in order. */
  exporterNames(): string[] {
    return this.exporters.map((exporter) => exporter.name);
  }

  /** Registers cleanup to run on `close()` (listeners, patches). */
  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Queues a finished span for export (it leaves with the next batch). */
  recordSpan(span: SpanData): void {
    if (this.closed) return;
    this.spanBatcher.add(span);
  }

  /** Spans waiting for export, and the estimated bytes of those waiting or being exported. */
  pendingSpans(): { spans: number; bytes: number } {
    return this.spanBatcher.pending();
  }

  /**
   * A span ended: a sampled one is queued for export, and every one feeds the `span.duration`
   * distribution, so span timings can be charted even where traces are not kept — except spans
   * whose instrumentation records a convention metric of its own (`http.server.request.duration`).
   */
  onSpanEnd(span: Span): void {
    try {
      // With no exporter that takes spans, a finished span has nowhere to go: nothing is queued.
      if (span.sampled === true && this.exportsSpans) this.recordSpan(span.toData());
      if (!span.recordsDuration) return;
      // URL-derived names (GET /orders/42) would make a series per path; those are charted by op.
      const attributes: Record<string, string> = {};
      if (span.nameSource !== 'url') attributes['span.name'] = span.name;
      if (span.op !== undefined) attributes['span.op'] = span.op;
      this.contextManager.with({ trace: span }, () => this.aggregator.distribution('span.duration', span.durationMs(), 'millisecond', attributes, 'span.end'));
    } catch (error) {
      debugLogger.internalError('span.end', error);
    }
  }

  /** True when metrics or spans are waiting for the next flush. */
  hasPendingData(): boolean {
    return this.spanBatcher.pending().spans > 0 || this.aggregator.hasData();
  }

  /** What was dropped since `init`, by reason. */
  getDroppedCounts(): DroppedCounts {
    return this.drops.snapshot();
  }

  /**
   * Sends the current interval's aggregates and pending spans to every exporter. Resolves true
   * when every exporter accepted them within `timeoutMs`, false otherwise, never later than
   * `timeoutMs` and never rejecting. While it is pending it keeps a Node process alive (one
   * ref'd timer, for its own deadline only), so `await flush()` in a script is never cut short.
   */
  flush(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    return this.flushWithin(timeoutMs, true);
  }

  private flushWithin(timeoutMs: number, keepAlive: boolean): Promise<boolean> {
    if (this.flushesInFlight >= MAX_CONCURRENT_FLUSHES) {
      debugLogger.warnOnce('flush:reentrant', `flush() was called while ${MAX_CONCURRENT_FLUSHES} flushes were running (from inside an exporter?); it was skipped, the data waits for the next flush.`);
      return Promise.resolve(false);
    }
    return withDeadline(timeoutMs, keepAlive, () => this.send(timeoutMs));
  }

  private async send(timeoutMs: number): Promise<boolean> {
    this.flushesInFlight++;
    try {
      // Sliced: a flush of many series leaves the event loop (or main thread) free every few ms.
      // Awaited only when it did not fit one slice, so a small flush reaches exporters in this task.
      const collected = this.aggregator.collectSliced();
      const interval = isThenable(collected) ? await collected : collected;
      const finalized = this.finalize(interval.points);
      const points = isThenable(finalized) ? await finalized : finalized;
      const work: Array<Promise<boolean>> = [];
      const metricBatch: MetricBatch = { resource: this.resource, startTimeMs: interval.startTimeMs, endTimeMs: interval.endTimeMs, points };
      // What the previous flushes lost and handed over, read before this one hands anything over.
      const telemetry = this.selfTelemetry?.collect(interval.startTimeMs, interval.endTimeMs) ?? [];
      for (const exporter of this.exporters) {
        if (typeof exporter.exportMetrics !== 'function') continue;
        // In a call of their own, first: their losses are told apart from the app's, and an
        // exporter that keeps running totals counts its later folds into the app's call.
        if (telemetry.length > 0) work.push(this.exportTelemetry(exporter, { ...metricBatch, points: telemetry }, timeoutMs));
        if (points.length === 0) continue;
        const drops = this.dropsFor(exporter);
        this.selfTelemetry?.handed(exporter, points.length);
        work.push(runExport(exporter.name, (callDrops) => exporter.exportMetrics!(metricBatch, { drops: callDrops, timeoutMs }), timeoutMs, drops, points.length));
      }
      // The spans still waiting are handed over before any exporter is asked to flush what it holds.
      work.push(this.spanBatcher.flush());
      for (const exporter of this.exporters) {
        if (typeof exporter.forceFlush === 'function') {
          const drops = this.dropsFor(exporter);
          work.push(runExport(exporter.name, (callDrops) => exporter.forceFlush!({ drops: callDrops, timeoutMs }), timeoutMs, drops, 0));
        }
      }
      const results = await Promise.all(work);
      return results.every(Boolean);
    } catch (error) {
      debugLogger.internalError('flush', error);
      return false;
    } finally {
      this.flushesInFlight--;
    }
  }

  /** Where an exporter counts its drops: the client's counter, through the exporter's own view with self-telemetry. */
  private dropsFor(exporter: Exporter): DropCounter {
    return this.selfTelemetry?.dropsFor(exporter) ?? this.drops;
  }

  /** Hands the self-telemetry points to one exporter; what it loses of them is counted, never reported back. */
  private exportTelemetry(exporter: Exporter, batch: MetricBatch, timeoutMs: number): Promise<boolean> {
    const drops = this.selfTelemetry!.telemetryDropsFor(exporter);
    return runExport(exporter.name, (callDrops) => exporter.exportMetrics!(batch, { drops: callDrops, timeoutMs }), timeoutMs, drops, batch.points.length);
  }

  /** Hands one batch of spans to every exporter that takes spans. Never rejects. */
  private sendSpans(spans: SpanData[]): Promise<boolean> {
    const batch: SpanBatch = { resource: this.resource, spans };
    const work: Array<Promise<boolean>> = [];
    for (const exporter of this.exporters) {
      if (typeof exporter.exportSpans === 'function') {
        const drops = this.dropsFor(exporter);
        work.push(
          runExport(exporter.name, (callDrops) => exporter.exportSpans!(batch, { drops: callDrops, timeoutMs: this.options.exportTimeoutMs }), this.options.exportTimeoutMs, drops, spans.length),
        );
      }
    }
    return Promise.all(work).then((results) => results.every(Boolean));
  }

  /**
   * Stops all timers and listeners, flushes, and shuts every exporter down, all within
   * `timeoutMs` (keeping a Node process alive meanwhile). The client stops taking data at once
   * (a point recorded during the final flush is counted as `not_initialized`, and a new `init`
   * may start right away); what the final flush or the shutdown loses is counted on this client,
   * which the global `getDroppedCounts()` keeps reading after close. Calls made while closing get
   * the same promise; exporters are shut down once.
   */
  close(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    this.closing ??= withDeadline(timeoutMs, true, () => this.shutdown(timeoutMs));
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<boolean> {
    const deadline = now() + timeoutMs;
    this.closed = true;
    cancelInterval(this.timer);
    this.spanBatcher.stop();
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        debugLogger.internalError('close: cleanup', error);
      }
    }
    // One budget for the whole close: the shutdowns get what the flush left, and at least a
    // reserve, so an exporter's own close counts what it still holds before the close settles.
    const flushed = await this.send(timeoutMs - Math.min(SHUTDOWN_RESERVE_MS, timeoutMs / 4));
    const remaining = Math.max(1, deadline - now());
    // Waited for a little past `remaining`: an exporter's own close, run to the same deadline,
    // counts what it still held before the close settles.
    const shutdowns = this.exporters.map((exporter) => {
      if (typeof exporter.shutdown !== 'function') return Promise.resolve(true);
      const drops = this.dropsFor(exporter);
      return runExport(exporter.name, (callDrops) => exporter.shutdown!({ drops: callDrops, timeoutMs: remaining }), remaining + SHUTDOWN_GRACE_MS, drops, 0);
    });
    const shutDown = await Promise.all(shutdowns);
    return flushed && shutDown.every(Boolean);
  }

  /**
   * Applies prefix and `beforeSendMetric` to the interval's points (global attributes are already
   * part of each series, see MetricsAggregator).
   */
  private finalize(points: MetricPoint[]): MetricPoint[] | Promise<MetricPoint[]> {
    const { prefix, beforeSendMetric } = this.options;
    if (!prefix && !beforeSendMetric) return points;
    const kept: MetricPoint[] = [];
    const slice = new TimeSlice();
    const done = this.finalizeFrom(points, 0, kept, slice);
    if (done === points.length) return kept;
    return (async () => {
      for (let next = done; next < points.length;) {
        await yieldToHost();
        slice.start();
        next = this.finalizeFrom(points, next, kept, slice);
      }
      return kept;
    })();
  }

  /** Finalises points from `start` into `kept` until the slice is spent; returns where it stopped. */
  private finalizeFrom(points: MetricPoint[], start: number, kept: MetricPoint[], slice: TimeSlice): number {
    const { prefix, beforeSendMetric } = this.options;
    for (let i = start; i < points.length; i++) {
      let point = points[i];
      if (slice.spent() && i > start) return i;
      if (prefix) point.name = `${prefix}.${point.name}`;
      if (beforeSendMetric) {
        let result: MetricPoint | null | undefined;
        let wellFormed: boolean;
        try {
          result = beforeSendMetric(point);
          wellFormed = typeof result === 'object' && result !== null && typeof result.name === 'string' && result.name.length > 0 && isMetricType(result.type);
        } catch (error) {
          this.drops.record('before_send_error');
          debugLogger.warnOnce('beforeSendMetric:throw', `beforeSendMetric threw (${errorMessage(error)}); the point was dropped.`);
          continue;
        }
        if (result === null || result === undefined) {
          this.drops.record('before_send');
          continue;
        }
        if (!wellFormed) {
          this.drops.record('before_send_error');
          debugLogger.warnOnce('beforeSendMetric:shape', 'beforeSendMetric must return the point it was given (changed or not) or null; the point was dropped.');
          continue;
        }
        point = result;
      }
      kept.push(point);
    }
    return points.length;
  }
}

function isMetricType(type: unknown): type is MetricType {
  return type === 'counter' || type === 'gauge' || type === 'distribution';
}
