import type { CarrierClient } from '../carrier';
import type { IntegrationClient } from './integration';
import type { TracingClient } from '../trace/tracing-client';
import type { ContextManager } from '../internal/context';
import { debugLogger } from '../internal/debug-logger';
import { DropCounter, type DroppedCounts } from '../internal/drop-counter';
import type { ExportContext, Exporter, MetricBatch, Resource, SpanBatch } from '../export/exporter';
import { runExport } from '../export/run-export';
import { MetricsAggregator } from '../metrics/aggregator';
import type { MetricPoint, MetricType } from '../metrics/types';
import type { ResolvedOptions } from './options';
import { cancelInterval, scheduleInterval, type TimerHandle } from '../internal/runtime-globals';
import type { Span } from '../trace/span';
import type { SpanData } from '../trace/span-data';
import { SDK_NAME, SDK_VERSION } from '../internal/version';
import { errorMessage } from '../internal/error-message';
import { isThenable } from '../internal/on-settled';
import { TimeSlice, yieldToHost } from '../internal/yield-to-host';

/** Finished spans held between flushes; past this the oldest are dropped and counted. */
export const MAX_PENDING_SPANS = 1000;

/**
 * The configured SDK: aggregates metrics, holds finished spans, and hands both to its exporters
 * on every flush. One lives at a time, reachable through `getClient()`.
 */
export class Client implements CarrierClient, IntegrationClient, TracingClient {
  readonly drops = new DropCounter();
  /** Handed to every export call: the exporter counts what it drops into this client. */
  private readonly exportContext: ExportContext = { drops: this.drops };
  readonly aggregator: MetricsAggregator;
  readonly resource: Resource;
  private readonly exporters: Exporter[];
  private pendingSpans: SpanData[] = [];
  private timer: TimerHandle;
  private closed = false;
  private closing: Promise<boolean> | undefined;
  private readonly cleanups: Array<() => void> = [];

  constructor(
    readonly options: ResolvedOptions,
    readonly contextManager: ContextManager,
  ) {
    this.aggregator = new MetricsAggregator(contextManager, this.drops, options.maxSeriesPerMetric, options.globalAttributes);
    this.aggregator.sampleDistributionsWithTraces = options.sampleDistributionsWithTraces === true;
    this.exporters = [...options.exporters];
    this.resource = {
      serviceName: options.serviceName,
      release: options.release,
      environment: options.environment,
      attributes: options.globalAttributes,
      sdk: { name: SDK_NAME, version: SDK_VERSION },
    };
    if (options.flushIntervalMs > 0) this.timer = scheduleInterval(() => void this.flush(), options.flushIntervalMs);
  }

  /** True until `close()` is called. */
  get isActive(): boolean {
    return !this.closed;
  }

  /** Adds an exporter after `init` (runtime entries add the ones their environment asks for). */
  addExporter(exporter: Exporter): void {
    this.exporters.push(exporter);
  }

  /** Exporter names, in order. */
  exporterNames(): string[] {
    return this.exporters.map((exporter) => exporter.name);
  }

  /** Registers cleanup to run on `close()` (listeners, patches). */
  onClose(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  /** Queues a finished span for the next flush. */
  recordSpan(span: SpanData): void {
    if (this.closed) return;
    if (this.pendingSpans.length >= MAX_PENDING_SPANS) {
      this.pendingSpans.shift();
      this.drops.record('queue_overflow');
    }
    this.pendingSpans.push(span);
  }

  /**
   * A span ended: a sampled one is queued for export, and every one feeds the `span.duration`
   * distribution, so span timings can be charted even where traces are not kept.
   */
  onSpanEnd(span: Span): void {
    try {
      if (span.sampled === true) this.recordSpan(span.toData());
      // URL-derived names (GET /orders/42) would make a series per path; those are charted by op.
      const attributes: Record<string, string> = {};
      if (span.nameSource !== 'url') attributes['span.name'] = span.name;
      if (span.op !== undefined) attributes['span.op'] = span.op;
      this.contextManager.with({ trace: span }, () => this.aggregator.distribution('span.duration', span.durationMs(), 'millisecond', attributes, 'span.end'));
    } catch (error) {
      debugLogger.internalError('span.end', error);
    }
  }

  /** What was dropped since `init`, by reason. */
  getDroppedCounts(): DroppedCounts {
    return this.drops.snapshot();
  }

  /**
   * Sends the current interval's aggregates and pending spans to every exporter. Resolves true
   * when every exporter accepted them within `timeoutMs`; never rejects (the interval timer calls
   * it unawaited, where a rejection would be an unhandled one in the host).
   */
  async flush(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    try {
      return await this.send(timeoutMs);
    } catch (error) {
      debugLogger.internalError('flush', error);
      return false;
    }
  }

  private async send(timeoutMs: number): Promise<boolean> {
    // Sliced: a flush of many series leaves the event loop (or main thread) free every few ms.
    // Awaited only when it did not fit one slice, so a small flush reaches exporters in this task.
    const collected = this.aggregator.collectSliced();
    const interval = isThenable(collected) ? await collected : collected;
    const finalized = this.finalize(interval.points);
    const points = isThenable(finalized) ? await finalized : finalized;
    const spans = this.pendingSpans;
    this.pendingSpans = [];
    const work: Array<Promise<boolean>> = [];
    const metricBatch: MetricBatch = { resource: this.resource, startTimeMs: interval.startTimeMs, endTimeMs: interval.endTimeMs, points };
    const spanBatch: SpanBatch = { resource: this.resource, spans };
    for (const exporter of this.exporters) {
      if (points.length > 0 && typeof exporter.exportMetrics === 'function') {
        work.push(runExport(exporter.name, () => exporter.exportMetrics!(metricBatch, this.exportContext), timeoutMs, this.drops, points.length));
      }
      if (spans.length > 0 && typeof exporter.exportSpans === 'function') {
        work.push(runExport(exporter.name, () => exporter.exportSpans!(spanBatch, this.exportContext), timeoutMs, this.drops, spans.length));
      }
      if (typeof exporter.forceFlush === 'function') {
        work.push(runExport(exporter.name, () => exporter.forceFlush!(this.exportContext), timeoutMs, this.drops, 0));
      }
    }
    const results = await Promise.all(work);
    return results.every(Boolean);
  }

  /**
   * Stops all timers and listeners, flushes, and shuts every exporter down. The client stops
   * taking data at once (so nothing recorded during the final flush is silently lost: it is counted
   * as `not_initialized`, and a new `init` may start right away). Calls made while closing get the
   * same promise; exporters are shut down once.
   */
  close(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    this.closing ??= this.shutdown(timeoutMs);
    return this.closing;
  }

  private async shutdown(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    cancelInterval(this.timer);
    for (const cleanup of this.cleanups.splice(0)) {
      try {
        cleanup();
      } catch (error) {
        debugLogger.internalError('close: cleanup', error);
      }
    }
    const flushed = await this.flush(timeoutMs);
    const shutdowns = this.exporters.map((exporter) =>
      typeof exporter.shutdown === 'function' ? runExport(exporter.name, () => exporter.shutdown!(this.exportContext), timeoutMs, this.drops, 0) : Promise.resolve(true),
    );
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
