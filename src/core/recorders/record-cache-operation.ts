import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { finiteNumber, isObject, label } from './operation-fields';
import { givenOutcome, recordOperation, warnInfoNotObject } from './record-operation';
import { DEFAULT_RECORDER_PREFIX, recorderMetricName } from './recorder-metric-name';

/** One cache operation. Give `hit` or `miss` for lookups; leave both out for writes. */
export interface CacheOperationInfo {
  /** The cache's name: `sessions`, `redis-pages`. */
  cache: string;
  /** `get`, `set`, `delete`, … */
  operation: string;
  /** The lookup found the key (`hit: false` counts as a miss). */
  hit?: boolean;
  /** The lookup did not find the key. */
  miss?: boolean;
  durationMs?: number;
  /** The cache's size after the operation (entries, or bytes: one measure per cache), as the `cache.size` gauge. */
  size?: number;
  /** Default: true unless `errorType` is given. */
  success?: boolean;
  errorType?: string;
}

const NAMES = { duration: 'cache.operation.duration', count: 'cache.operation.count', failures: 'cache.failures' };

/** `recordCacheOperation` with a prefix (what `createRecorders({ prefix })` binds). */
export function recordCacheOperationWithPrefix(prefix: string, info: CacheOperationInfo): void {
  try {
    if (!isObject(info)) {
      warnInfoNotObject('recordCacheOperation');
      return;
    }
    const attributes = { cache: label(info.cache), operation: label(info.operation) };
    const { success, errorType } = givenOutcome(info);
    recordOperation(prefix, NAMES, attributes, { durationMs: info.durationMs, success, errorType });
    const hit = info.hit === true;
    const miss = info.miss === true || info.hit === false;
    if (hit && miss) {
      debugLogger.warnOnce('recordCacheOperation:hit-and-miss', 'recordCacheOperation(info): an operation cannot be both a hit and a miss; neither was counted.');
    } else if (hit) {
      metrics.count(recorderMetricName(prefix, 'cache.hits'), 1, { attributes });
    } else if (miss) {
      metrics.count(recorderMetricName(prefix, 'cache.misses'), 1, { attributes });
    }
    const size = finiteNumber(info.size);
    if (size !== undefined) metrics.gauge(recorderMetricName(prefix, 'cache.size'), size, { attributes: { cache: attributes.cache } });
  } catch (error) {
    debugLogger.internalError('recordCacheOperation', error);
  }
}

/**
 * Records a finished cache operation: `cache.operation.duration` (ms) and `cache.operation.count`
 * with `cache`, `operation`, `success`; `cache.failures` with `error_type` when it failed;
 * `cache.hits` or `cache.misses`; and the `cache.size` gauge (attribute `cache`) when `size` is given.
 *
 * @example
 * recordCacheOperation({ cache: 'sessions', operation: 'get', hit: true, durationMs: 0.4, size: 1_204 });
 */
export function recordCacheOperation(info: CacheOperationInfo): void {
  recordCacheOperationWithPrefix(DEFAULT_RECORDER_PREFIX, info);
}
