import { debugLogger } from '../internal/debug-logger';
import { isObject, label } from './operation-fields';
import { givenOutcome, recordOperation, warnInfoNotObject } from './record-operation';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';

/** One run of a background task (a job, a scheduled sweep, a queue consumer). */
export interface TaskInfo {
  /** The task's name: `send-digest`, `reindex`. */
  task: string;
  /** Its kind: `cron`, `queue`, `startup`. */
  taskType?: string;
  durationMs?: number;
  /** Default: true unless `errorType` is given. */
  success?: boolean;
  errorType?: string;
}

const NAMES = { duration: 'task.run.duration', count: 'task.run.count', failures: 'task.failures' };

/** `recordTask` with a prefix (what `createRecorders({ prefix })` binds). */
export function recordTaskWithPrefix(prefix: string, info: TaskInfo): void {
  try {
    if (!isObject(info)) {
      warnInfoNotObject('recordTask');
      return;
    }
    const { success, errorType } = givenOutcome(info);
    recordOperation(prefix, NAMES, { task: label(info.task), task_type: label(info.taskType) }, { durationMs: info.durationMs, success, errorType });
  } catch (error) {
    debugLogger.internalError('recordTask', error);
  }
}

/**
 * Records a finished background task run: `task.run.duration` (ms) and `task.run.count` with
 * `task`, `task_type`, `success`; `task.failures` with `error_type` when it failed.
 *
 * @example
 * recordTask({ task: 'send-digest', taskType: 'cron', durationMs: 950, success: true });
 */
export function recordTask(info: TaskInfo): void {
  recordTaskWithPrefix(DEFAULT_RECORDER_PREFIX, info);
}
