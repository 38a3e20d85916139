import { label } from './operation-fields';
import { recordDatabaseOperationWithPrefix, type DatabaseOperationInfo } from './record-database-operation';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';
import { trackedOutcome, trackOperation, type OperationScope } from './track-operation';

/** What `trackDatabaseOperation` needs up front; set `retryCount` through the scope as retries happen. */
export type TrackedDatabaseOperationInfo = Omit<DatabaseOperationInfo, 'durationMs'>;

/** `trackDatabaseOperation` with a prefix (what `createRecorders({ prefix })` binds). */
export function trackDatabaseOperationWithPrefix<T>(prefix: string, info: TrackedDatabaseOperationInfo, fn: (scope: OperationScope<TrackedDatabaseOperationInfo>) => T): T {
  return trackOperation(
    'trackDatabaseOperation',
    info,
    fn,
    // OpenTelemetry database semantic conventions: db.operation.name, db.collection.name.
    (fields) => ({ name: `${label(fields.operation)} ${label(fields.table)}`, op: 'db', attributes: { 'db.operation.name': label(fields.operation), 'db.collection.name': label(fields.table) } }),
    (fields, outcome, span) => {
      const verdict = trackedOutcome(fields, outcome);
      if (typeof fields.retryCount === 'number' && fields.retryCount > 0) span.setAttribute('db.retries', fields.retryCount);
      recordDatabaseOperationWithPrefix(prefix, { ...fields, durationMs: outcome.durationMs, ...verdict });
      return verdict;
    },
  );
}

/**
 * Runs `fn` (sync or async) as a database operation: in a `db` span named `<operation> <table>`,
 * recorded like `recordDatabaseOperation` when it settles. Report retries with
 * `scope.set({ retryCount })`; a thrown error counts as a failure with its `name` as `error_type`
 * and is rethrown unchanged.
 *
 * @example
 * const rows = await trackDatabaseOperation({ operation: 'select', table: 'orders' }, () => pool.query(sql));
 */
export function trackDatabaseOperation<T>(info: TrackedDatabaseOperationInfo, fn: (scope: OperationScope<TrackedDatabaseOperationInfo>) => T): T {
  return trackDatabaseOperationWithPrefix(DEFAULT_RECORDER_PREFIX, info, fn);
}
