import type { Attributes } from '../internal/attributes';
import type { MetricPoint } from '../metrics/types';
import type { SpanData } from '../trace/span-data';
import type { DropCounter } from '../internal/drop-counter';

/** Who is reporting: sent with every batch (OTLP resource attributes, Sentry release/environment). */
export interface Resource {
  serviceName?: string;
  release?: string;
  environment?: string;
  /** `globalAttributes`; already merged into every point's attributes as well. */
  attributes: Attributes;
  sdk: { name: string; version: string };
}

/** One flush interval's metric aggregates. */
export interface MetricBatch {
  resource: Resource;
  startTimeMs: number;
  endTimeMs: number;
  points: MetricPoint[];
}

/** Finished spans gathered since the last flush. */
export interface SpanBatch {
  resource: Resource;
  spans: SpanData[];
}

/**
 * What an export came to. Returning nothing means success; a failure says whether a retry could
 * help and how long the backend asked to wait.
 */
export type ExportOutcome = { ok: true } | { ok: false; retryable: boolean; retryAfterMs?: number; reason?: string };

/**
 * A backend. Exporters are plain objects: a name and the hooks they support. They receive
 * aggregates, never single data points, and must not throw (a throw, a rejection or a hang is
 * caught, timed out and counted anyway).
 *
 * @example
 * const logCount: Exporter = {
 *   name: 'log-count',
 *   exportMetrics(batch) { console.log(batch.points.length, 'series'); },
 * };
 */
export interface Exporter {
  readonly name: string;
  exportMetrics?(batch: MetricBatch, context?: ExportContext): void | ExportOutcome | Promise<void | ExportOutcome>;
  exportSpans?(batch: SpanBatch, context?: ExportContext): void | ExportOutcome | Promise<void | ExportOutcome>;
  /** Sends whatever the exporter still holds; called by `flush()`. Resolving `false` says it could not. */
  forceFlush?(context?: ExportContext): void | boolean | Promise<void | boolean>;
  /** Releases sockets and timers; called by `close()`. */
  shutdown?(context?: ExportContext): void | Promise<void>;
}

/**
 * What every export call is handed by the client that makes it: where to count what the exporter
 * drops later (a request that fails after the call returned, a full queue), and what has been
 * dropped so far. An exporter never reaches for a global client.
 */
export interface ExportContext {
  readonly drops: DropCounter;
}

/** True when `value` has the shape of an exporter. */
export function isExporter(value: unknown): value is Exporter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof Exporter, unknown>>;
  return typeof candidate.exportMetrics === 'function' || typeof candidate.exportSpans === 'function';
}
