import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { finiteNumber, isObject, label, UNKNOWN_LABEL } from './operation-fields';
import { givenOutcome, recordOperation, warnInfoNotObject } from './record-operation';
import { DEFAULT_RECORDER_PREFIX, recorderMetricName } from './recorder-metric-name';

/** One call to another service. */
export interface ApiCallInfo {
  /** The service called: `stripe`, `users-api`. */
  service: string;
  /**
   * The route template (`/v1/charges/:id`), never the raw URL: every distinct value is a new
   * series in every backend, so ids and query strings must not reach it.
   */
  endpoint: string;
  /** `GET`, `POST`, …; upper-cased. */
  method?: string;
  statusCode?: number;
  durationMs?: number;
  /** Default: no `errorType` and `statusCode` below 400 (or no status code). */
  success?: boolean;
  /** Default on failure: `http_<statusCode>`, or `unknown`. */
  errorType?: string;
}

const NAMES = { duration: 'api.call.duration', count: 'api.call.count', failures: 'api.failures' };
const TOO_MANY_REQUESTS = 429;

/** `recordApiCall` with a prefix (what `createRecorders({ prefix })` binds). */
export function recordApiCallWithPrefix(prefix: string, info: ApiCallInfo): void {
  try {
    if (!isObject(info)) {
      warnInfoNotObject('recordApiCall');
      return;
    }
    const statusCode = finiteNumber(info.statusCode);
    const attributes = {
      service: label(info.service),
      endpoint: label(info.endpoint),
      method: typeof info.method === 'string' && info.method.length > 0 ? info.method.toUpperCase() : UNKNOWN_LABEL,
      ...(statusCode === undefined ? {} : { status_code: statusCode }),
    };
    const given = givenOutcome(info);
    const httpFailure = statusCode !== undefined && statusCode >= 400;
    recordOperation(prefix, NAMES, attributes, {
      durationMs: info.durationMs,
      success: typeof info.success === 'boolean' ? info.success : given.success && !httpFailure,
      errorType: given.errorType ?? (httpFailure ? `http_${statusCode}` : undefined),
    });
    if (statusCode === TOO_MANY_REQUESTS) {
      metrics.count(recorderMetricName(prefix, 'api.rate_limited'), 1, { attributes: { service: attributes.service, endpoint: attributes.endpoint, method: attributes.method } });
    }
  } catch (error) {
    debugLogger.internalError('recordApiCall', error);
  }
}

/**
 * Records a finished call to another service: `api.call.duration` (ms) and `api.call.count` with
 * `service`, `endpoint`, `method`, `status_code`, `success`; `api.failures` with `error_type` when
 * it failed; `api.rate_limited` when the status was 429.
 *
 * @example
 * recordApiCall({ service: 'stripe', endpoint: '/v1/charges', method: 'POST', statusCode: 200, durationMs: 84 });
 */
export function recordApiCall(info: ApiCallInfo): void {
  recordApiCallWithPrefix(DEFAULT_RECORDER_PREFIX, info);
}
