import { optionsObject } from './operation-fields';
import { processorMetrics, type ProcessorMetrics, type ProcessorMetricsOptions } from './processor-metrics';
import { recordApiCallWithPrefix, type ApiCallInfo } from './record-api-call';
import { recordCacheOperationWithPrefix, type CacheOperationInfo } from './record-cache-operation';
import { recordCommandWithPrefix, type CommandInfo } from './record-command';
import { recordDatabaseOperationWithPrefix, type DatabaseOperationInfo } from './record-database-operation';
import { recordTaskWithPrefix, type TaskInfo } from './record-task';
import { resolveRecorderPrefix } from './recorder-metric-name';
import { trackApiCallWithPrefix, type TrackedApiCallInfo } from './track-api-call';
import { trackCacheOperationWithPrefix, type TrackedCacheOperationInfo } from './track-cache-operation';
import { trackCommandWithPrefix, type TrackedCommandInfo } from './track-command';
import { trackDatabaseOperationWithPrefix, type TrackedDatabaseOperationInfo } from './track-database-operation';
import type { OperationScope } from './track-operation';
import { trackTaskWithPrefix, type TrackedTaskInfo } from './track-task';

/** Options of `createRecorders`. */
export interface RecordersOptions {
  /**
   * Prepended with a dot to every recorder metric: `prefix: 'billing'` gives
   * `billing.api.call.duration`. Default: none. `init({ prefix })` still applies on top.
   */
  prefix?: string;
}

/** Every ready recorder, bound to one prefix. Each behaves as its default-instance namesake. */
export interface Recorders {
  readonly prefix: string;
  recordApiCall(info: ApiCallInfo): void;
  trackApiCall<T>(info: TrackedApiCallInfo, fn: (scope: OperationScope<TrackedApiCallInfo>) => T): T;
  recordDatabaseOperation(info: DatabaseOperationInfo): void;
  trackDatabaseOperation<T>(info: TrackedDatabaseOperationInfo, fn: (scope: OperationScope<TrackedDatabaseOperationInfo>) => T): T;
  recordCacheOperation(info: CacheOperationInfo): void;
  trackCacheOperation<T>(info: TrackedCacheOperationInfo, fn: (scope: OperationScope<TrackedCacheOperationInfo>) => T): T;
  recordTask(info: TaskInfo): void;
  trackTask<T>(info: TrackedTaskInfo, fn: (scope: OperationScope<TrackedTaskInfo>) => T): T;
  recordCommand(info: CommandInfo): void;
  trackCommand<T>(info: TrackedCommandInfo, fn: (scope: OperationScope<TrackedCommandInfo>) => T): T;
  /** `processorMetrics` with this prefix (an explicit `options.prefix` still wins). */
  processorMetrics(processorName: string, options?: ProcessorMetricsOptions): ProcessorMetrics;
}

/**
 * The recorders with a metric name prefix, for a library or subsystem that namespaces its own
 * metrics. The functions exported on their own (`recordApiCall`, `trackTask`, …) are the same
 * recorders with no prefix.
 *
 * @example
 * const recorders = createRecorders({ prefix: 'billing' });
 * recorders.recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 200, durationMs: 84 });
 * // → billing.api.call.duration, billing.api.call.count
 */
export function createRecorders(options?: RecordersOptions): Recorders {
  const prefix = resolveRecorderPrefix(optionsObject(options)?.prefix, 'createRecorders');
  return {
    prefix,
    recordApiCall: (info) => recordApiCallWithPrefix(prefix, info),
    trackApiCall: (info, fn) => trackApiCallWithPrefix(prefix, info, fn),
    recordDatabaseOperation: (info) => recordDatabaseOperationWithPrefix(prefix, info),
    trackDatabaseOperation: (info, fn) => trackDatabaseOperationWithPrefix(prefix, info, fn),
    recordCacheOperation: (info) => recordCacheOperationWithPrefix(prefix, info),
    trackCacheOperation: (info, fn) => trackCacheOperationWithPrefix(prefix, info, fn),
    recordTask: (info) => recordTaskWithPrefix(prefix, info),
    trackTask: (info, fn) => trackTaskWithPrefix(prefix, info, fn),
    recordCommand: (info) => recordCommandWithPrefix(prefix, info),
    trackCommand: (info, fn) => trackCommandWithPrefix(prefix, info, fn),
    processorMetrics: (processorName, processorOptions) => {
      const given = optionsObject(processorOptions) ?? {};
      return processorMetrics(processorName, { ...given, prefix: given.prefix ?? prefix });
    },
  };
}
