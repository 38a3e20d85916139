import { debugLogger } from '../internal/debug-logger';
import { now } from '../internal/runtime-globals';
import type { StartSpanOptions } from '../trace/create-span';
import type { Span } from '../trace/span';
import { startSpan, withActiveSpan } from '../trace/start-span';
import { isThenable } from '../internal/on-settled';
import { errorTypeOf, isObject } from './operation-fields';
import { givenOutcome } from './record-operation';

/**
 * What a tracked function receives: its span, and a way to fill in what is only known inside the
 * call (a status code, a retry count, a cache hit, a size) before it is recorded.
 *
 * @example
 * await trackDatabaseOperation({ operation: 'select', table: 'users' }, async (scope) => {
 *   scope.set({ retryCount: 1 });
 *   scope.span.setAttribute('db.rows', 3);
 * });
 */
export interface OperationScope<Info> {
  readonly span: Span;
  set(fields: Partial<Info>): void;
}

/** How the wrapped call ended, as the recorder's `finish` sees it. */
export interface TrackedOutcome {
  durationMs: number;
  threw: boolean;
  /** The return value (or what its promise resolved to), or the thrown error. */
  value: unknown;
}

/** A tracked call's verdict: a given `success`/`errorType` wins; else a throw failed, named after the thrown value. */
export function trackedOutcome(fields: { success?: unknown; errorType?: unknown }, outcome: TrackedOutcome): { success: boolean; errorType: string | undefined } {
  const given = givenOutcome(fields);
  if (given.errorType !== undefined || !outcome.threw) return given;
  return { success: typeof fields.success === 'boolean' ? fields.success : false, errorType: errorTypeOf(outcome.value) };
}

/**
 * Runs `fn` in a span, times it until it returns or its promise settles, then hands the outcome to
 * `finish` with the span active (so the recorded points carry it as their exemplar); a failure
 * `finish` reports marks the span as failed. What `fn` returns or throws passes through
 * unchanged; a failure inside isometer is logged, never thrown.
 */
export function trackOperation<Info extends object, T>(
  where: string,
  info: Info,
  fn: (scope: OperationScope<Info>) => T,
  spanOptions: (fields: Info) => StartSpanOptions,
  finish: (fields: Info, outcome: TrackedOutcome, span: Span) => { success: boolean; errorType: string | undefined },
): T {
  if (typeof fn !== 'function') {
    debugLogger.warnOnce(`${where}:fn`, `${where}(info, fn): fn must be a function; nothing was run or recorded.`);
    return undefined as T;
  }
  let fields: Info;
  let options: StartSpanOptions;
  try {
    if (!isObject(info)) debugLogger.warnOnce(`${where}:info`, `${where}(info, fn): info must be an object; the call was recorded with "unknown" labels.`);
    fields = (isObject(info) ? { ...info } : {}) as Info;
    options = spanOptions(fields);
  } catch (error) {
    debugLogger.internalError(where, error);
    fields = {} as Info;
    options = { name: where };
  }
  return startSpan(options, (span) => {
    const start = now();
    const scope: OperationScope<Info> = {
      span,
      set(more) {
        try {
          if (isObject(more)) Object.assign(fields, more);
        } catch (error) {
          debugLogger.internalError(`${where}: scope.set`, error);
        }
      },
    };
    const settle = (threw: boolean, value: unknown): void => {
      try {
        const outcome = { durationMs: now() - start, threw, value };
        const verdict = withActiveSpan(span, () => finish(fields, outcome, span));
        if (!verdict.success) span.setStatus('error', verdict.errorType);
      } catch (error) {
        debugLogger.internalError(where, error);
      }
    };
    let result: T;
    try {
      result = fn(scope);
    } catch (error) {
      settle(true, error);
      throw error;
    }
    if (isThenable(result)) {
      return (result as PromiseLike<unknown>).then(
        (value) => {
          settle(false, value);
          return value;
        },
        (error: unknown) => {
          settle(true, error);
          throw error;
        },
      ) as T;
    }
    settle(false, result);
    return result;
  });
}
