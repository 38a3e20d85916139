/**
 * isometer's runtime-neutral core: metrics, aggregation, exporters' contract and the memory and
 * console exporters. Browsers and Node import `isometer/browser` and `isometer/node`, which add
 * their runtime's delivery and context on top of the same names.
 */
export { init, initWithRuntime, type RuntimeSetup } from './sdk/init';
export { flush, close, getDroppedCounts } from './sdk/lifecycle';
export { metrics, type Counter, type BoundCounter, type Timer } from './metrics/metrics';
export { withAttributes } from './metrics/with-attributes';
export { getClient } from './carrier';
export { Client } from './sdk/client';
export type { IsometerOptions, SamplingContext } from './sdk/options';
export type { Attributes, AttributeValue } from './internal/attributes';
export type { MetricPoint, CounterPoint, GaugePoint, DistributionPoint, MetricOptions, MetricType, MetricUnit, Exemplar } from './metrics/types';
export { ExponentialHistogram, type ExponentialHistogramData } from './metrics/exponential-histogram';
export { OVERFLOW_ATTRIBUTE } from './metrics/series-index';
export type { Exporter, ExportOutcome, MetricBatch, SpanBatch, Resource } from './export/exporter';
export { DropCounter, type DropReason, type DroppedCounts } from './export/drop-counter';
export { memoryExporter, type MemoryExporter, type MemoryExporterOptions } from './export/memory-exporter';
export { consoleExporter, type ConsoleExporterOptions } from './export/console-exporter';
export type { SpanData, SpanStatus } from './trace/span-data';
export type { ContextManager, ActiveContext } from './internal/context';
export { SDK_NAME, SDK_VERSION } from './internal/version';
export * from './trace/index';
export { parseDsn, type DsnParts } from './internal/dsn';
export { suppressTracing, isTracingSuppressed } from './trace/suppress-tracing';
export * from './recorders/index';
export { isIntegration, type Integration } from './sdk/integration';
