import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { finiteNumber, isObject, label } from './operation-fields';
import { givenOutcome, recordOperation, warnInfoNotObject } from './record-operation';
import { DEFAULT_RECORDER_PREFIX, recorderMetricName } from './recorder-metric-name';

/** One database operation. */
export interface DatabaseOperationInfo {
  /** `select`, `insert`, `upsert`, … (not the SQL text). */
  operation: string;
  /** The table or collection. */
  table?: string;
  durationMs?: number;
  /** Retries before the final attempt; added to `db.retries` when above 0. */
  retryCount?: number;
  /** Default: true unless `errorType` is given. */
  success?: boolean;
  errorType?: string;
}

const NAMES = { duration: 'db.operation.duration', count: 'db.operation.count', failures: 'db.failures' };

/** `recordDatabaseOperation` with a prefix (what `createRecorders({ prefix })` binds). */
export function recordDatabaseOperationWithPrefix(prefix: string, info: DatabaseOperationInfo): void {
  try {
    if (!isObject(info)) {
      warnInfoNotObject('recordDatabaseOperation');
      return;
    }
    const attributes = { operation: label(info.operation), table: label(info.table) };
    const { success, errorType } = givenOutcome(info);
    recordOperation(prefix, NAMES, attributes, { durationMs: info.durationMs, success, errorType });
    const retries = finiteNumber(info.retryCount);
    if (retries !== undefined && retries > 0) metrics.count(recorderMetricName(prefix, 'db.retries'), retries, { attributes });
  } catch (error) {
    debugLogger.internalError('recordDatabaseOperation', error);
  }
}

/**
 * Records a finished database operation: `db.operation.duration` (ms) and `db.operation.count`
 * with `operation`, `table`, `success`; `db.failures` with `error_type` when it failed;
 * `db.retries` summing `retryCount`.
 *
 * @example
 * recordDatabaseOperation({ operation: 'select', table: 'users', durationMs: 4.2, retryCount: 1 });
 */
export function recordDatabaseOperation(info: DatabaseOperationInfo): void {
  recordDatabaseOperationWithPrefix(DEFAULT_RECORDER_PREFIX, info);
}
