/**
 * isometer for Node (`isometer/node`): the core API with async context, configuration from the
 * environment, http/fetch instrumentation, exit flush, and Node's exporters.
 */

import { setTraceStateCodec } from '../core/carrier';
import { traceStateCodec } from '../core/trace/codecs/trace-state-codec';

// Incoming tracestate is read in full from the first request, before any `init` (a page's front waits for its engine).
setTraceStateCodec(traceStateCodec);

// Setup and lifecycle
export { init } from './init';
export { isometerMiddleware } from './middleware';
export type { ContextManager, ActiveContext } from '../core/internal/context';
export { flush, close, getDroppedCounts } from '../core/sdk/lifecycle';
export { getClient } from '../core/sdk/get-client';
export { Client } from '../core/sdk/client';
export type { IsometerOptions, SamplingContext } from '../core/sdk/options';
export { isIntegration, type Integration, type IntegrationClient } from '../core/sdk/integration';
export { SDK_NAME, SDK_VERSION } from '../core/internal/version';

// Metrics
export { metrics, type Counter, type BoundCounter, type Timer } from '../core/metrics/metrics';
export { withAttributes } from '../core/metrics/with-attributes';
export { OVERFLOW_ATTRIBUTE } from '../core/metrics/series-index';
export { ExponentialHistogram, type ExponentialHistogramData } from '../core/metrics/exponential-histogram';
export type { Attributes, AttributeValue } from '../core/internal/attributes';
export type { MetricPoint, CounterPoint, GaugePoint, DistributionPoint, MetricOptions, MetricType, MetricUnit, Exemplar } from '../core/metrics/types';

// Tracing
export { startSpan, startInactiveSpan, withActiveSpan, getActiveSpan } from '../core/trace/start-span';
export type { StartSpanOptions } from '../core/trace/create-span';
export { traced, type TracedOptions } from '../core/trace/traced';
export type { Span, SpanNameSource } from '../core/trace/span';
export { getTraceHeaders, continueTrace, type TraceHeaders } from '../core/trace/trace-headers';
export { suppressTracing, isTracingSuppressed } from '../core/trace/suppress-tracing';
export type { SpanData, SpanStatus } from '../core/trace/span-data';

// Exporters
export { sentryExporter } from './sentry';
export type { SentryExporterOptions, SentryClientLike } from '../core/sentry/sentry-exporter';
export { statsdExporter, type StatsdExporterOptions, type StatsdMode } from './statsd/statsd-exporter';
export { createNodeHttpTransport, type NodeHttpTransportOptions } from './http-transport';
export type { Exporter, ExportContext, ExportOutcome, MetricBatch, SpanBatch, Resource } from '../core/export/exporter';
export type { DropReason, DroppedCounts, DropRecorder } from '../core/internal/drop-counter';
export { memoryExporter, type MemoryExporter, type MemoryExporterOptions } from '../core/export/memory-exporter';
export { consoleExporter, type ConsoleExporterOptions } from '../core/export/console-exporter';
export { datadogExporter, type DatadogExporter, type DatadogExporterOptions } from './datadog/datadog-exporter';
export { prometheusExporter, type PrometheusExporter, type PrometheusExporterOptions } from './prometheus/prometheus-exporter';
export { prometheusHandler, type PrometheusHandler, type PrometheusHandlerOptions, type ScrapeResponse } from './prometheus/prometheus-handler';

// Recorders
export { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions, type ProcessorMeasurement, type ProcessorTimingOptions } from '../core/recorders/processor-metrics';
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
} from '../core/recorders/default-recorders';
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
} from '../core/recorders/operation-info';
export type { OperationScope } from '../core/recorders/track-operation';
export { createRecorders, type Recorders, type RecordersOptions } from '../core/recorders/create-recorders';
export { createStatsdFacade, type StatsdFacade, type StatsdFacadeOptions, type StatsdCallOptions, type StatsdIncrOptions, type StatsdTimer } from '../core/recorders/create-statsd-facade';
