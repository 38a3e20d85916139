import type { AttributeValue } from '../internal/attributes';
import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import type { StartSpanOptions } from '../trace/create-span';
import type { Span } from '../trace/span';
import type { ApiCallInfo, CacheOperationInfo, CommandInfo, DatabaseOperationInfo, ModuleOperationInfo, OperationOutcomeInfo, TaskInfo } from './operation-info';
import { finiteNumber, isObject, label, UNKNOWN_LABEL } from './operation-fields';

/** Whether an operation succeeded, and how it failed. */
export interface OperationVerdict {
  success: boolean;
  errorType: string | undefined;
}

/** How a tracked call ended. */
export interface TrackedOutcome {
  durationMs: number;
  threw: boolean;
  /** The return value (or what its promise resolved to), or the thrown error. */
  value: unknown;
}

/**
 * One row of the table: everything that makes `recordX`/`trackX` differ from the other recorders.
 * Every row writes `<area>.….duration` (ms) and `….count` with its attributes plus `success`, and
 * `<area>.failures` with its attributes plus `error_type` (keeping `error_type` off the count keeps
 * that series set small).
 */
export interface Operation<Info extends OperationOutcomeInfo> {
  /** `ApiCall`: the recorders are `recordApiCall` and `trackApiCall`. */
  readonly name: string;
  /** The three metric names, relative to the prefix. */
  readonly metrics: { readonly duration: string; readonly count: string; readonly failures: string };
  /** Identifying attributes, never empty (`unknown`), so every series of a row has the same keys. */
  attributes(info: Info): Record<string, AttributeValue>;
  /** Default: `givenVerdict`. */
  verdict?(info: Info): OperationVerdict;
  /** Metrics beyond the three (cache hits, database retries, rate limits); `metric` adds the prefix. */
  more?(info: Info, attributes: Record<string, AttributeValue>, metric: (name: string) => string): void;
  /** The span a tracked call runs in. */
  span(info: Info): StartSpanOptions;
  /** What only the finished call tells (a status code, a cache hit): filled into `info`, put on the span. */
  settle?(info: Info, outcome: TrackedOutcome, span: Span): void;
}

/** `success` and `errorType` as given: an `errorType` alone means the operation failed. */
export function givenVerdict(info: { success?: unknown; errorType?: unknown }): OperationVerdict {
  const errorType = typeof info.errorType === 'string' && info.errorType.length > 0 ? info.errorType : undefined;
  return { success: typeof info.success === 'boolean' ? info.success : errorType === undefined, errorType };
}

const TOO_MANY_REQUESTS = 429;

function methodOf(value: unknown): string {
  return typeof value === 'string' && value.length > 0 ? value.toUpperCase() : UNKNOWN_LABEL;
}

/** A `status`/`statusCode` on a fetch `Response`, a Node response, or an HTTP client's error (`error.response.status`). */
function statusCodeOf(value: unknown): number | undefined {
  try {
    if (!isObject(value)) return undefined;
    const response = isObject(value.response) ? value.response : undefined;
    return finiteNumber(value.status) ?? finiteNumber(value.statusCode) ?? finiteNumber(response?.status) ?? finiteNumber(response?.statusCode);
  } catch {
    return undefined;
  }
}

const API_CALL: Operation<ApiCallInfo> = {
  name: 'ApiCall',
  metrics: { duration: 'api.call.duration', count: 'api.call.count', failures: 'api.failures' },
  attributes: (info) => {
    const statusCode = finiteNumber(info.statusCode);
    const attributes: Record<string, AttributeValue> = { service: label(info.service), endpoint: label(info.endpoint), method: methodOf(info.method) };
    if (statusCode !== undefined) attributes.status_code = statusCode;
    return attributes;
  },
  verdict: (info) => {
    const statusCode = finiteNumber(info.statusCode);
    const given = givenVerdict(info);
    const httpFailure = statusCode !== undefined && statusCode >= 400;
    return { success: typeof info.success === 'boolean' ? info.success : given.success && !httpFailure, errorType: given.errorType ?? (httpFailure ? `http_${statusCode}` : undefined) };
  },
  more: (info, { service, endpoint, method }, metric) => {
    if (info.statusCode === TOO_MANY_REQUESTS) metrics.count(metric('api.rate_limited'), 1, { attributes: { service, endpoint, method } });
  },
  span: (info) => ({
    name: `${methodOf(info.method)} ${label(info.endpoint)}`,
    op: 'http.client',
    attributes: { service: label(info.service), endpoint: label(info.endpoint), 'http.request.method': methodOf(info.method) },
  }),
  settle: (info, outcome, span) => {
    info.statusCode = finiteNumber(info.statusCode) ?? statusCodeOf(outcome.value);
    if (info.statusCode !== undefined) span.setAttribute('http.response.status_code', info.statusCode);
  },
};

const DATABASE_OPERATION: Operation<DatabaseOperationInfo> = {
  name: 'DatabaseOperation',
  metrics: { duration: 'db.operation.duration', count: 'db.operation.count', failures: 'db.failures' },
  attributes: (info) => ({ operation: label(info.operation), table: label(info.table) }),
  more: (info, attributes, metric) => {
    const retries = finiteNumber(info.retryCount);
    if (retries !== undefined && retries > 0) metrics.count(metric('db.retries'), retries, { attributes });
  },
  // OpenTelemetry database semantic conventions: db.operation.name, db.collection.name.
  span: (info) => ({ name: `${label(info.operation)} ${label(info.table)}`, op: 'db', attributes: { 'db.operation.name': label(info.operation), 'db.collection.name': label(info.table) } }),
  settle: (info, _outcome, span) => {
    if (typeof info.retryCount === 'number' && info.retryCount > 0) span.setAttribute('db.retries', info.retryCount);
  },
};

/**
 * The span ops of Sentry's Caches module (https://develop.sentry.dev/sdk/performance/modules/caches/):
 * its cache dashboards only see `cache.get`, `cache.put`, `cache.remove` and `cache.flush`.
 */
const CACHE_SPAN_OPS: Record<string, string> = {
  get: 'cache.get',
  read: 'cache.get',
  fetch: 'cache.get',
  mget: 'cache.get',
  set: 'cache.put',
  put: 'cache.put',
  write: 'cache.put',
  mset: 'cache.put',
  delete: 'cache.remove',
  del: 'cache.remove',
  remove: 'cache.remove',
  evict: 'cache.remove',
  clear: 'cache.flush',
  flush: 'cache.flush',
};

function cacheSpanOp(operation: string): string {
  const key = operation.toLowerCase();
  return Object.prototype.hasOwnProperty.call(CACHE_SPAN_OPS, key) ? CACHE_SPAN_OPS[key] : `cache.${operation}`;
}

const CACHE_OPERATION: Operation<CacheOperationInfo> = {
  name: 'CacheOperation',
  metrics: { duration: 'cache.operation.duration', count: 'cache.operation.count', failures: 'cache.failures' },
  attributes: (info) => ({ cache: label(info.cache), operation: label(info.operation) }),
  more: (info, attributes, metric) => {
    const hit = info.hit === true;
    const miss = info.miss === true || info.hit === false;
    if (hit && miss) debugLogger.warnOnce('recordCacheOperation:hit-and-miss', 'recordCacheOperation(info): an operation cannot be both a hit and a miss; neither was counted.');
    else if (hit || miss) metrics.count(metric(hit ? 'cache.hits' : 'cache.misses'), 1, { attributes });
    const size = finiteNumber(info.size);
    if (size !== undefined) metrics.gauge(metric('cache.size'), size, { attributes: { cache: attributes.cache } });
  },
  span: (info) => ({ name: `${label(info.operation)} ${label(info.cache)}`, op: cacheSpanOp(label(info.operation)), attributes: { 'cache.name': label(info.cache) } }),
  settle: (info, outcome, span) => {
    // A lookup that returned nothing missed, unless the caller said otherwise.
    if (cacheSpanOp(label(info.operation)) === 'cache.get' && info.hit === undefined && info.miss === undefined && !outcome.threw) info.hit = outcome.value !== undefined && outcome.value !== null;
    if (info.hit === true || info.miss === true || info.hit === false) span.setAttribute('cache.hit', info.hit === true && info.miss !== true);
  },
};

const TASK: Operation<TaskInfo> = {
  name: 'Task',
  metrics: { duration: 'task.run.duration', count: 'task.run.count', failures: 'task.failures' },
  attributes: (info) => ({ task: label(info.task), task_type: label(info.taskType) }),
  span: (info) => ({ name: label(info.task), op: 'task', attributes: { task: label(info.task), task_type: label(info.taskType) } }),
};

const COMMAND: Operation<CommandInfo> = {
  name: 'Command',
  metrics: { duration: 'command.run.duration', count: 'command.run.count', failures: 'command.failures' },
  attributes: (info) => ({ command: label(info.command), command_type: label(info.commandType) }),
  span: (info) => ({ name: label(info.command), op: 'command', attributes: { command: label(info.command), command_type: label(info.commandType) } }),
};

const MODULE_OPERATION: Operation<ModuleOperationInfo> = {
  name: 'ModuleOperation',
  metrics: { duration: 'module.operation.duration', count: 'module.operation.count', failures: 'module.failures' },
  attributes: (info) => ({ module: label(info.module), operation: label(info.operation) }),
  span: (info) => ({ name: `${label(info.operation)} ${label(info.module)}`, op: `module.${label(info.operation)}`, attributes: { module: label(info.module), operation: label(info.operation) } }),
};

/**
 * The operations table: one row per recorder. `createRecorders` makes `record<Name>` and
 * `track<Name>` for each row; adding an operation is adding a row.
 */
export const OPERATIONS = {
  ApiCall: API_CALL,
  DatabaseOperation: DATABASE_OPERATION,
  CacheOperation: CACHE_OPERATION,
  Task: TASK,
  Command: COMMAND,
  ModuleOperation: MODULE_OPERATION,
} as const;
