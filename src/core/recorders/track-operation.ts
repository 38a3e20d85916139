import { debugLogger } from '../internal/debug-logger';
import { onSettled } from '../internal/on-settled';
import { now } from '../internal/runtime-globals';
import type { StartSpanOptions } from '../trace/create-span';
import type { Span } from '../trace/span';
import { startSpan, withActiveSpan } from '../trace/start-span';
import type { OperationOutcomeInfo } from './operation-info';
import { errorTypeOf, isObject } from './operation-fields';
import { givenVerdict, type Operation } from './operations';
import { recordOperation } from './record-operation';

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

/**
 * `track<Name>` for any row of the operations table: runs `fn` in the row's span, times it until
 * it returns or its promise settles, and records it like `record<Name>` with the span active (so
 * the points carry it as their exemplar). A throw is a failure named after the thrown value
 * (unless the caller said otherwise) and marks the span failed. What `fn` returns or throws passes
 * through unchanged; a failure inside isometer is logged, never thrown.
 */
export function trackOperation<Info extends OperationOutcomeInfo, T>(
  operation: Operation<Info>,
  prefix: string,
  info: Omit<Info, 'durationMs'>,
  fn: (scope: OperationScope<Omit<Info, 'durationMs'>>) => T,
): T {
  const where = `track${operation.name}`;
  if (typeof fn !== 'function') {
    debugLogger.warnOnce(`${where}:fn`, `${where}(info, fn): fn must be a function; nothing was run or recorded.`);
    return undefined as T;
  }
  let fields: Info;
  let options: StartSpanOptions;
  try {
    if (!isObject(info)) debugLogger.warnOnce(`${where}:info`, `${where}(info, fn): info must be an object; the call was recorded with "unknown" labels.`);
    fields = (isObject(info) ? { ...info } : {}) as Info;
    options = operation.span(fields);
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
    return onSettled(
      where,
      () => fn(scope),
      (threw, value) => {
        fields.durationMs = now() - start;
        operation.settle?.(fields, { durationMs: fields.durationMs, threw, value }, span);
        if (threw && givenVerdict(fields).errorType === undefined) {
          fields.success = typeof fields.success === 'boolean' ? fields.success : false;
          fields.errorType = errorTypeOf(value);
        }
        const verdict = withActiveSpan(span, () => recordOperation(operation, prefix, fields));
        if (verdict !== undefined && !verdict.success) span.setStatus('error', verdict.errorType);
      },
    );
  });
}
