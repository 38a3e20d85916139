import type { Exporter } from '../core/export/exporter';
import type { ViewerOrigin, ViewerPoint, ViewerSpan } from './viewer-types';
import type { ViewerStore } from './viewer-store';

/**
 * An isometer exporter that hands each flushed batch to a viewer's store in the same process
 * (the demo server reports to the viewer it starts this way). Unlike OTLP, it keeps what only
 * isometer knows: each exemplar's and span's sampling decision. It copies what it keeps, so the
 * SDK may reuse its objects.
 *
 * @example
 * init({ serviceName: 'shop', exporters: [viewerExporter(viewer.store)] });
 */
export function viewerExporter(store: ViewerStore, { origin = 'server' }: { origin?: ViewerOrigin } = {}): Exporter {
  const failed = (error: unknown) => ({ ok: false as const, retryable: false, reason: `viewer: ${error instanceof Error ? error.message : String(error)}` });
  return {
    name: 'isometer-dev',
    exportMetrics(batch) {
      try {
        const points = batch.points.map((point): ViewerPoint => ({ ...point, attributes: { ...point.attributes }, exemplars: point.exemplars.map((exemplar) => ({ ...exemplar })) }));
        store.ingest({ origin, service: batch.resource.serviceName ?? 'unknown_service', sdk: batch.resource.sdk.name, points, spans: [] });
        return { ok: true };
      } catch (error) {
        return failed(error);
      }
    },
    exportSpans(batch) {
      try {
        const spans = batch.spans.map((span): ViewerSpan => ({ ...span, attributes: { ...span.attributes } }));
        store.ingest({ origin, service: batch.resource.serviceName ?? 'unknown_service', sdk: batch.resource.sdk.name, points: [], spans });
        return { ok: true };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
