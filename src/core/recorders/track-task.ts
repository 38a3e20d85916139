import { label } from './operation-fields';
import { recordTaskWithPrefix, type TaskInfo } from './record-task';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';
import { trackedOutcome, trackOperation, type OperationScope } from './track-operation';

/** What `trackTask` needs up front. */
export type TrackedTaskInfo = Omit<TaskInfo, 'durationMs'>;

/** `trackTask` with a prefix (what `createRecorders({ prefix })` binds). */
export function trackTaskWithPrefix<T>(prefix: string, info: TrackedTaskInfo, fn: (scope: OperationScope<TrackedTaskInfo>) => T): T {
  return trackOperation(
    'trackTask',
    info,
    fn,
    (fields) => ({ name: label(fields.task), op: 'task', attributes: { task: label(fields.task), task_type: label(fields.taskType) } }),
    (fields, outcome, span) => {
      const verdict = trackedOutcome(fields, outcome);
      recordTaskWithPrefix(prefix, { ...fields, durationMs: outcome.durationMs, ...verdict });
      return verdict;
    },
  );
}

/**
 * Runs `fn` (sync or async) as a background task: in a `task` span named after the task, recorded
 * like `recordTask` when it settles. A thrown error counts as a failure with its `name` as
 * `error_type` and is rethrown unchanged.
 *
 * @example
 * await trackTask({ task: 'send-digest', taskType: 'cron' }, () => sendDigests());
 */
export function trackTask<T>(info: TrackedTaskInfo, fn: (scope: OperationScope<TrackedTaskInfo>) => T): T {
  return trackTaskWithPrefix(DEFAULT_RECORDER_PREFIX, info, fn);
}
