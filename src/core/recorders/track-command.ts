import { label } from './operation-fields';
import { recordCommandWithPrefix, type CommandInfo } from './record-command';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';
import { trackedOutcome, trackOperation, type OperationScope } from './track-operation';

/** What `trackCommand` needs up front. */
export type TrackedCommandInfo = Omit<CommandInfo, 'durationMs'>;

/** `trackCommand` with a prefix (what `createRecorders({ prefix })` binds). */
export function trackCommandWithPrefix<T>(prefix: string, info: TrackedCommandInfo, fn: (scope: OperationScope<TrackedCommandInfo>) => T): T {
  return trackOperation(
    'trackCommand',
    info,
    fn,
    (fields) => ({ name: label(fields.command), op: 'command', attributes: { command: label(fields.command), command_type: label(fields.commandType) } }),
    (fields, outcome, span) => {
      const verdict = trackedOutcome(fields, outcome);
      recordCommandWithPrefix(prefix, { ...fields, durationMs: outcome.durationMs, ...verdict });
      return verdict;
    },
  );
}

/**
 * Runs `fn` (sync or async) as a command handler: in a `command` span named after the command,
 * recorded like `recordCommand` when it settles. A thrown error counts as a failure with its
 * `name` as `error_type` and is rethrown unchanged.
 *
 * @example
 * await trackCommand({ command: 'ban', commandType: 'slash' }, () => handleBan(interaction));
 */
export function trackCommand<T>(info: TrackedCommandInfo, fn: (scope: OperationScope<TrackedCommandInfo>) => T): T {
  return trackCommandWithPrefix(DEFAULT_RECORDER_PREFIX, info, fn);
}
