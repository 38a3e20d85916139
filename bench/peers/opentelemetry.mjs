/**
 * The OpenTelemetry metrics SDK as a service would run it: a MeterProvider with a
 * PeriodicExportingMetricReader (10 s, like isometer's default interval) and an exporter that
 * only reads the totals, so the figures include the SDK's own aggregation and nothing of a wire.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';

export function startOpenTelemetry() {
  /** Latest cumulative total per instrument: sum for counters, value count for histograms. */
  const totals = new Map();
  const exporter = {
    export(resourceMetrics, resultCallback) {
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          let total = 0;
          for (const point of metric.dataPoints) total += typeof point.value === 'number' ? point.value : point.value.count;
          totals.set(metric.descriptor.name, total);
        }
      }
      resultCallback({ code: ExportResultCode.SUCCESS });
    },
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 10_000 });
  const provider = new MeterProvider({ readers: [reader] });
  return {
    meter: provider.getMeter('isometer-bench'),
    /** Temporality is cumulative (the default), so the last export holds everything recorded. */
    async recorded(name) {
      await reader.forceFlush();
      return totals.get(name) ?? 0;
    },
    stop: () => provider.shutdown(),
  };
}
