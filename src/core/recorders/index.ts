/**
 * Ready recorders for the operations teams instrument again and again: processor TTFB and
 * processing time, API calls, database and cache operations, background tasks, commands, and a
 * statsd-style facade. Names follow one scheme, `<prefix>.<area>.<what>` (see createRecorders).
 */
export { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions, type ProcessorMeasurement, type ProcessorTimingOptions } from './processor-metrics';
export { recordApiCall, type ApiCallInfo } from './record-api-call';
export { trackApiCall, type TrackedApiCallInfo } from './track-api-call';
export { recordDatabaseOperation, type DatabaseOperationInfo } from './record-database-operation';
export { trackDatabaseOperation, type TrackedDatabaseOperationInfo } from './track-database-operation';
export { recordCacheOperation, type CacheOperationInfo } from './record-cache-operation';
export { trackCacheOperation, type TrackedCacheOperationInfo } from './track-cache-operation';
export { recordTask, type TaskInfo } from './record-task';
export { trackTask, type TrackedTaskInfo } from './track-task';
export { recordCommand, type CommandInfo } from './record-command';
export { trackCommand, type TrackedCommandInfo } from './track-command';
export type { OperationScope } from './track-operation';
export { createRecorders, type Recorders, type RecordersOptions } from './create-recorders';
export { createStatsdFacade, type StatsdFacade, type StatsdFacadeOptions, type StatsdCallOptions, type StatsdIncrOptions, type StatsdTimer } from './create-statsd-facade';
