/**
 * The server's way into the collector: an isometer Exporter (a plain object with
 * `exportMetrics`/`exportSpans`) that hands each flushed batch straight to the store, in the same
 * process. It copies what it keeps, so the SDK may reuse its objects.
 */

/**
 * @example
 * init({ serviceName: 'node-demo', exporters: [collectorExporter(store)] });
 */
export function collectorExporter(store, { origin = 'server' } = {}) {
  return {
    name: 'demo-collector',
    exportMetrics(batch) {
      try {
        const service = batch.resource?.serviceName ?? 'unknown_service';
        store.addMetrics(
          origin,
          service,
          batch.points.map((point) => ({ ...point, attributes: { ...point.attributes }, exemplars: [...(point.exemplars ?? [])] })),
        );
        return { ok: true };
      } catch (error) {
        return { ok: false, retryable: false, reason: `demo collector: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    exportSpans(batch) {
      try {
        const service = batch.resource?.serviceName ?? 'unknown_service';
        store.addSpans(
          origin,
          service,
          batch.spans.map((span) => ({ ...span, attributes: { ...span.attributes } })),
        );
        return { ok: true };
      } catch (error) {
        return { ok: false, retryable: false, reason: `demo collector: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
