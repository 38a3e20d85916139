import { debugLogger } from '../internal/debug-logger';
import { isObject, label } from './operation-fields';
import { givenOutcome, recordOperation, warnInfoNotObject } from './record-operation';
import { DEFAULT_RECORDER_PREFIX } from './recorder-metric-name';

/** One command handled (a chat bot's slash command, a CLI subcommand, an RPC verb). */
export interface CommandInfo {
  /** The command's name, without its arguments: `ban`, `deploy`. */
  command: string;
  /** Its kind: `slash`, `prefix`, `button`. */
  commandType?: string;
  durationMs?: number;
  /** Default: true unless `errorType` is given. */
  success?: boolean;
  errorType?: string;
}

const NAMES = { duration: 'command.run.duration', count: 'command.run.count', failures: 'command.failures' };

/** `recordCommand` with a prefix (what `createRecorders({ prefix })` binds). */
export function recordCommandWithPrefix(prefix: string, info: CommandInfo): void {
  try {
    if (!isObject(info)) {
      warnInfoNotObject('recordCommand');
      return;
    }
    const { success, errorType } = givenOutcome(info);
    recordOperation(prefix, NAMES, { command: label(info.command), command_type: label(info.commandType) }, { durationMs: info.durationMs, success, errorType });
  } catch (error) {
    debugLogger.internalError('recordCommand', error);
  }
}

/**
 * Records a handled command: `command.run.duration` (ms) and `command.run.count` with `command`,
 * `command_type`, `success`; `command.failures` with `error_type` when it failed.
 *
 * @example
 * recordCommand({ command: 'ban', commandType: 'slash', durationMs: 31, success: false, errorType: 'MissingPermissions' });
 */
export function recordCommand(info: CommandInfo): void {
  recordCommandWithPrefix(DEFAULT_RECORDER_PREFIX, info);
}
