import type { AttributeValue } from '../internal/attributes';
import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { recorderMetricName } from './recorder-metric-name';
import { UNKNOWN_ERROR_TYPE } from './operation-fields';

/** The three metrics every operation recorder writes, relative to the prefix. */
export interface OperationMetricNames {
  duration: string;
  count: string;
  failures: string;
}

/** What one finished operation came to. */
export interface OperationOutcome {
  durationMs: unknown;
  success: boolean;
  errorType: string | undefined;
}

/**
 * Writes an operation's duration (when measured), its count and, when it failed, a failure:
 * duration and count carry the operation's attributes plus `success`; the failure carries them
 * plus `error_type`. Keeping `error_type` off the count keeps that series set small.
 */
export function recordOperation(prefix: string, names: OperationMetricNames, attributes: Record<string, AttributeValue>, outcome: OperationOutcome): void {
  const withOutcome = { ...attributes, success: outcome.success };
  if (outcome.durationMs !== undefined) {
    metrics.distribution(recorderMetricName(prefix, names.duration), outcome.durationMs as number, { unit: 'millisecond', attributes: withOutcome });
  }
  metrics.count(recorderMetricName(prefix, names.count), 1, { attributes: withOutcome });
  if (!outcome.success) {
    metrics.count(recorderMetricName(prefix, names.failures), 1, { attributes: { ...attributes, error_type: outcome.errorType ?? UNKNOWN_ERROR_TYPE } });
  }
}

/** `success` and `errorType` as given: an `errorType` alone means the operation failed. */
export function givenOutcome(info: { success?: unknown; errorType?: unknown }): { success: boolean; errorType: string | undefined } {
  const errorType = typeof info.errorType === 'string' && info.errorType.length > 0 ? info.errorType : undefined;
  return { success: typeof info.success === 'boolean' ? info.success : errorType === undefined, errorType };
}

/** The one-time warning for a record call whose argument is not an object. */
export function warnInfoNotObject(where: string): void {
  debugLogger.warnOnce(`${where}:info`, `${where}(info): info must be an object (see the example in its documentation); nothing was recorded.`);
}
