import type { Attributes } from '../internal/attributes';
import type { MetricPoint, MetricType } from '../metrics/types';
import type { SpanData } from '../trace/span-data';
import type { Exporter, MetricBatch, SpanBatch } from './exporter';

/** An exporter that keeps everything it receives in memory, for tests and inspection. */
export interface MemoryExporter extends Exporter {
  /** Every metric batch received, oldest first. */
  readonly batches: MetricBatch[];
  /** Every finished span received, oldest first. */
  readonly spans: SpanData[];
  /** Every metric point of every batch, oldest first. */
  points(): MetricPoint[];
  /** The points of one metric, optionally only those whose attributes include `attributes`. */
  find(name: string, options?: { type?: MetricType; attributes?: Attributes }): MetricPoint[];
  /** Sums a counter (or counts a distribution's values) across all batches received. */
  total(name: string, attributes?: Attributes): number;
  clear(): void;
}

export interface MemoryExporterOptions {
  /** Batches kept before the oldest are forgotten. Default 1000. */
  maxBatches?: number;
  /** Spans kept before the oldest are forgotten. Default 10000. */
  maxSpans?: number;
}

/**
 * Keeps what it receives, for tests: assert on aggregated points and finished spans.
 *
 * @example
 * const memory = memoryExporter();
 * init({ exporters: [memory] });
 * metrics.count('checkout.click');
 * await flush();
 * memory.total('checkout.click'); // → 1
 */
export function memoryExporter(options: MemoryExporterOptions = {}): MemoryExporter {
  const maxBatches = positiveOr(options.maxBatches, 1000);
  const maxSpans = positiveOr(options.maxSpans, 10_000);
  const batches: MetricBatch[] = [];
  const spans: SpanData[] = [];
  const points = (): MetricPoint[] => batches.flatMap((batch) => batch.points);
  const find: MemoryExporter['find'] = (name, filter = {}) =>
    points().filter((point) => point.name === name && (filter.type === undefined || point.type === filter.type) && includes(point.attributes, filter.attributes));
  return {
    name: 'memory',
    batches,
    spans,
    points,
    find,
    total(name, attributes) {
      let total = 0;
      for (const point of find(name, { attributes })) total += point.type === 'counter' ? point.sum : point.count;
      return total;
    },
    clear() {
      batches.length = 0;
      spans.length = 0;
    },
    exportMetrics(batch: MetricBatch) {
      batches.push(batch);
      if (batches.length > maxBatches) batches.splice(0, batches.length - maxBatches);
    },
    exportSpans(batch: SpanBatch) {
      spans.push(...batch.spans);
      if (spans.length > maxSpans) spans.splice(0, spans.length - maxSpans);
    },
  };
}

function includes(attributes: Attributes, subset: Attributes | undefined): boolean {
  if (!subset) return true;
  for (const key in subset) if (attributes[key] !== subset[key]) return false;
  return true;
}

function positiveOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && value > 0 ? Math.floor(value) : fallback;
}
