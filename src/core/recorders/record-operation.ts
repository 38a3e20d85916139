import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import type { OperationOutcomeInfo } from './operation-info';
import { isObject, UNKNOWN_ERROR_TYPE } from './operation-fields';
import { givenVerdict, type Operation, type OperationVerdict } from './operations';
import { recorderMetricName } from './recorder-metric-name';

/**
 * `record<Name>` for any row of the operations table: writes the duration (when given), the count
 * and, on failure, the failure, plus the row's own extra metrics. Returns the verdict, or undefined
 * when nothing was recorded. Bad input is warned about once, never thrown.
 */
export function recordOperation<Info extends OperationOutcomeInfo>(operation: Operation<Info>, prefix: string, info: Info): OperationVerdict | undefined {
  const where = `record${operation.name}`;
  try {
    if (!isObject(info)) {
      debugLogger.warnOnce(`${where}:info`, `${where}(info): info must be an object (see the example in its documentation); nothing was recorded.`);
      return undefined;
    }
    const names = operation.metrics;
    const attributes = operation.attributes(info);
    const verdict = operation.verdict ? operation.verdict(info) : givenVerdict(info);
    const withOutcome = { ...attributes, success: verdict.success };
    if (info.durationMs !== undefined) metrics.distribution(recorderMetricName(prefix, names.duration), info.durationMs, { unit: 'millisecond', attributes: withOutcome });
    metrics.count(recorderMetricName(prefix, names.count), 1, { attributes: withOutcome });
    if (!verdict.success) metrics.count(recorderMetricName(prefix, names.failures), 1, { attributes: { ...attributes, error_type: verdict.errorType ?? UNKNOWN_ERROR_TYPE } });
    operation.more?.(info, attributes, (name) => recorderMetricName(prefix, name));
    return verdict;
  } catch (error) {
    debugLogger.internalError(where, error);
    return undefined;
  }
}
