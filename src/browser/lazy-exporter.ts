import type { ExportContext, Exporter, MetricBatch, SpanBatch } from '../core/export/exporter';

/**
 * An exporter whose code is in another file: `load` starts at once (for the script tag, the
 * engine file `init` loads anyway), and once it resolved, every call goes straight to the real
 * exporter, synchronously — a flush at `pagehide` must start its requests before the page is gone.
 * A call made before then waits for it. The script tag makes its network and console exporters
 * this way, so the tag itself stays small.
 *
 * @example
 * const otlp = lazyExporter('otlp', () => import('./otlp-file.js').then((module) => module.otlpExporter({ endpoint })));
 */
export function lazyExporter(name: string, load: () => Promise<Exporter>): Exporter {
  let real: Exporter | undefined;
  const loading = load().then((exporter) => (real = exporter));
  // Not loaded (a network error on the file): the calls' rejections are counted by the client.
  loading.catch(() => undefined);
  return {
    name,
    exportMetrics: (batch: MetricBatch, context?: ExportContext) => (real ? real.exportMetrics?.(batch, context) : loading.then((exporter) => exporter.exportMetrics?.(batch, context))),
    exportSpans: (batch: SpanBatch, context?: ExportContext) => (real ? real.exportSpans?.(batch, context) : loading.then((exporter) => exporter.exportSpans?.(batch, context))),
    forceFlush: (context?: ExportContext) => (real ? real.forceFlush?.(context) : loading.then((exporter) => exporter.forceFlush?.(context))),
    shutdown: (context?: ExportContext) => (real ? real.shutdown?.(context) : loading.then((exporter) => exporter.shutdown?.(context))),
  };
}
