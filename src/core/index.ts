/**
 * isometer's runtime-neutral core (`isometer`): the same API the browser and Node entries export,
 * for workers and other hosts. Browsers and Node import `isometer/browser` and `isometer/node`,
 * which add their runtime's delivery, context and endings on top of these names.
 *
 * Only what an app calls or implements is exported here; codecs, id generators, the aggregator
 * and the other internals stay inside.
 */

// Setup and lifecycle
export { init, initWithRuntime, type RuntimeSetup } from './sdk/init';
export type { ContextManager, ActiveContext } from './internal/context';
export { flush, close, getDroppedCounts } from './sdk/lifecycle';
export { getClient } from './sdk/get-client';
export { Client } from './sdk/client';
export type { IsometerOptions, SamplingContext } from './sdk/options';
export { isIntegration, type Integration, type IntegrationClient } from './sdk/integration';
export { SDK_NAME, SDK_VERSION } from './internal/version';

// Metrics
export { metrics, type Counter, type BoundCounter, type Timer } from './metrics/metrics';
export { withAttributes } from './metrics/with-attributes';
export { OVERFLOW_ATTRIBUTE } from './metrics/series-index';
export { ExponentialHistogram, type ExponentialHistogramData } from './metrics/exponential-histogram';
export type { Attributes, AttributeValue } from './internal/attributes';
export type { MetricPoint, CounterPoint, GaugePoint, DistributionPoint, MetricOptions, MetricType, MetricUnit, Exemplar } from './metrics/types';

// Tracing
export { startSpan, startInactiveSpan, withActiveSpan, getActiveSpan } from './trace/start-span';
export type { StartSpanOptions } from './trace/create-span';
export { traced, type TracedOptions } from './trace/traced';
export type { Span, SpanNameSource } from './trace/span';
export { getTraceHeaders, continueTrace, type TraceHeaders } from './trace/trace-headers';
export { suppressTracing, isTracingSuppressed } from './trace/suppress-tracing';
export type { SpanData, SpanStatus } from './trace/span-data';

// Exporters
export type { Exporter, ExportContext, ExportOutcome, MetricBatch, SpanBatch, Resource } from './export/exporter';
export type { DropReason, DroppedCounts, DropRecorder } from './internal/drop-counter';
export { memoryExporter, type MemoryExporter, type MemoryExporterOptions } from './export/memory-exporter';
export { consoleExporter, type ConsoleExporterOptions } from './export/console-exporter';

// Recorders
export { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions, type ProcessorMeasurement, type ProcessorTimingOptions } from './recorders/processor-metrics';
export {
  recordApiCall,
  trackApiCall,
  recordDatabaseOperation,
  trackDatabaseOperation,
  recordCacheOperation,
  trackCacheOperation,
  recordTask,
  trackTask,
  recordCommand,
  trackCommand,
  recordModuleOperation,
  trackModuleOperation,
} from './recorders/default-recorders';
export type {
  ApiCallInfo,
  TrackedApiCallInfo,
  DatabaseOperationInfo,
  TrackedDatabaseOperationInfo,
  CacheOperationInfo,
  TrackedCacheOperationInfo,
  TaskInfo,
  TrackedTaskInfo,
  CommandInfo,
  TrackedCommandInfo,
  ModuleOperationInfo,
  TrackedModuleOperationInfo,
} from './recorders/operation-info';
export type { OperationScope } from './recorders/track-operation';
export { createRecorders, type Recorders, type RecordersOptions } from './recorders/create-recorders';
export { createStatsdFacade, type StatsdFacade, type StatsdFacadeOptions, type StatsdCallOptions, type StatsdIncrOptions, type StatsdTimer } from './recorders/create-statsd-facade';
