import { finiteNumber, isObject, label } from './operation-fields';
import { recordApiCallWithPrefix, type ApiCallInfo } from './record-api-call';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';
import { trackedOutcome, trackOperation, type OperationScope } from './track-operation';

/** What `trackApiCall` needs up front; the rest is measured or read from the result. */
export type TrackedApiCallInfo = Omit<ApiCallInfo, 'durationMs'>;

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

/** `trackApiCall` with a prefix (what `createRecorders({ prefix })` binds). */
export function trackApiCallWithPrefix<T>(prefix: string, info: TrackedApiCallInfo, fn: (scope: OperationScope<TrackedApiCallInfo>) => T): T {
  return trackOperation(
    'trackApiCall',
    info,
    fn,
    (fields) => {
      const method = typeof fields.method === 'string' && fields.method.length > 0 ? fields.method.toUpperCase() : 'unknown';
      return { name: `${method} ${label(fields.endpoint)}`, op: 'http.client', attributes: { service: label(fields.service), endpoint: label(fields.endpoint), 'http.request.method': method } };
    },
    (fields, outcome, span) => {
      const statusCode = finiteNumber(fields.statusCode) ?? statusCodeOf(outcome.value);
      const httpFailure = statusCode !== undefined && statusCode >= 400;
      const given = trackedOutcome(fields, outcome);
      const verdict = {
        success: typeof fields.success === 'boolean' ? fields.success : given.success && !httpFailure,
        errorType: given.errorType ?? (httpFailure ? `http_${statusCode}` : undefined),
      };
      if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
      recordApiCallWithPrefix(prefix, { ...fields, statusCode, durationMs: outcome.durationMs, ...verdict });
      return verdict;
    },
  );
}

/**
 * Runs `fn` (sync or async) as a call to another service: in an `http.client` span named
 * `<METHOD> <endpoint>`, recorded like `recordApiCall` when it settles. The status code comes from
 * `scope.set({ statusCode })`, else from the result's or the thrown error's `status`/`statusCode`;
 * a thrown error counts as a failure with its `name` as `error_type` and is rethrown unchanged.
 *
 * @example
 * const response = await trackApiCall({ service: 'github', endpoint: '/repos/:owner/:repo', method: 'GET' }, () => fetch(url));
 */
export function trackApiCall<T>(info: TrackedApiCallInfo, fn: (scope: OperationScope<TrackedApiCallInfo>) => T): T {
  return trackApiCallWithPrefix(DEFAULT_RECORDER_PREFIX, info, fn);
}
