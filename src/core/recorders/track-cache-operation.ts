import { label } from './operation-fields';
import { recordCacheOperationWithPrefix, type CacheOperationInfo } from './record-cache-operation';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';
import { trackedOutcome, trackOperation, type OperationScope } from './track-operation';

/** What `trackCacheOperation` needs up front; `hit`/`miss`/`size` can be set through the scope. */
export type TrackedCacheOperationInfo = Omit<CacheOperationInfo, 'durationMs'>;

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
  return Object.prototype.hasOwnProperty.call(CACHE_SPAN_OPS, operation.toLowerCase()) ? CACHE_SPAN_OPS[operation.toLowerCase()] : `cache.${operation}`;
}

/** `trackCacheOperation` with a prefix (what `createRecorders({ prefix })` binds). */
export function trackCacheOperationWithPrefix<T>(prefix: string, info: TrackedCacheOperationInfo, fn: (scope: OperationScope<TrackedCacheOperationInfo>) => T): T {
  let op = 'cache';
  return trackOperation(
    'trackCacheOperation',
    info,
    fn,
    (fields) => {
      op = cacheSpanOp(label(fields.operation));
      return { name: `${label(fields.operation)} ${label(fields.cache)}`, op, attributes: { 'cache.name': label(fields.cache) } };
    },
    (fields, outcome, span) => {
      const verdict = trackedOutcome(fields, outcome);
      let { hit, miss } = fields;
      // A lookup that returned nothing missed, unless the caller said otherwise.
      if (op === 'cache.get' && hit === undefined && miss === undefined && !outcome.threw) hit = outcome.value !== undefined && outcome.value !== null;
      if (hit === true || miss === true || hit === false) span.setAttribute('cache.hit', hit === true && miss !== true);
      recordCacheOperationWithPrefix(prefix, { ...fields, hit, miss, durationMs: outcome.durationMs, ...verdict });
      return verdict;
    },
  );
}

/**
 * Runs `fn` (sync or async) as a cache operation: in a span whose op is Sentry's (`cache.get`,
 * `cache.put`, `cache.remove`, `cache.flush`), recorded like `recordCacheOperation` when it settles.
 * For a `get` that does not say `hit`/`miss` through `scope.set`, a result of `undefined` or `null`
 * is a miss and anything else a hit. A thrown error counts as a failure and is rethrown unchanged.
 *
 * @example
 * const session = await trackCacheOperation({ cache: 'sessions', operation: 'get' }, () => redis.get(key));
 */
export function trackCacheOperation<T>(info: TrackedCacheOperationInfo, fn: (scope: OperationScope<TrackedCacheOperationInfo>) => T): T {
  return trackCacheOperationWithPrefix(DEFAULT_RECORDER_PREFIX, info, fn);
}
