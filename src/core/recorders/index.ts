/**
 * Ready recorders for the operations teams instrument again and again: processor TTFB and
 * processing time, API calls, database and cache operations, background tasks, commands, module
 * loads, and a statsd-style facade. Names follow one scheme, `<prefix>.<area>.<what>` (see
 * createRecorders); the operation recorders are rows of one table (operations.ts).
 */
export { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions, type ProcessorMeasurement, type ProcessorTimingOptions } from './processor-metrics';
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
} from './default-recorders';
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
} from './operation-info';
export type { OperationScope } from './track-operation';
export { createRecorders, type Recorders, type RecordersOptions } from './create-recorders';
export { createStatsdFacade, type StatsdFacade, type StatsdFacadeOptions, type StatsdCallOptions, type StatsdIncrOptions, type StatsdTimer } from './create-statsd-facade';
