import { getContextManager, getTracingBridge } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { createRootPropagation, createSpan, type StartSpanOptions } from './create-span';
import { Span, isSpan } from './span';
import { onSettled } from '../internal/on-settled';
import { errorMessage } from '../internal/error-message';

function markError(span: Span, error: unknown): void {
  span.setStatus('error', errorMessage(error));
}

/** A span that records nothing, for when setting one up failed. */
function detachedSpan(name: string): Span {
  const propagation = createRootPropagation();
  propagation.sampled = false;
  return new Span({ traceId: propagation.traceId, spanId: '0000000000000001', sampled: false, propagation, name, attributes: {} });
}

/**
 * Runs `callback` inside a new span and ends the span when the callback returns or its promise
 * settles. An error the callback throws marks the span as failed and is rethrown unchanged.
 * In Node the span stays active across `await`; in browsers it is active for the synchronous
 * part of the callback only (no async context there), though the trace still continues.
 *
 * @example
 * const user = await startSpan({ name: 'load user', op: 'db.query' }, () => db.users.find(id));
 */
export function startSpan<T>(options: StartSpanOptions, callback: (span: Span) => T): T {
  if (typeof callback !== 'function') {
    debugLogger.warnOnce('startSpan:callback', process.env.NODE_ENV !== 'production' && 'startSpan(options, callback): callback must be a function; nothing was run.');
    return undefined as T;
  }
  let created: ReturnType<typeof createSpan>;
  try {
    created = createSpan(options, 'startSpan');
  } catch (error) {
    debugLogger.internalError('startSpan', error);
    return callback(detachedSpan('<failed>'));
  }
  const { span, context } = created;
  const bridge = getTracingBridge();
  // Sentry's context must see the span too, so its own instrumentation (http, fetch) nests under it.
  if (bridge === undefined || span.external === undefined) return runInSpan(span, context, callback);
  let started = false;
  try {
    return bridge.withActiveSpan(span.external, () => {
      started = true;
      return runInSpan(span, context, callback);
    });
  } catch (error) {
    if (started) throw error;
    debugLogger.internalError('startSpan (Sentry)', error);
    return runInSpan(span, context, callback);
  }
}

function runInSpan<T>(span: Span, context: ReturnType<typeof createSpan>['context'], callback: (span: Span) => T): T {
  return getContextManager().with(context, () => {
    return onSettled(
      'startSpan',
      () => callback(span),
      (threw, value) => {
        if (threw) markError(span, value);
        span.end();
      },
    );
  });
}

/**
 * Starts a span that is not made active; end it yourself with `span.end()`.
 *
 * @example
 * const span = startInactiveSpan({ name: 'upload', op: 'http.client' });
 * xhr.onloadend = () => span.end();
 */
export function startInactiveSpan(options: StartSpanOptions): Span {
  try {
    return createSpan(options, 'startInactiveSpan').span;
  } catch (error) {
    debugLogger.internalError('startInactiveSpan', error);
    return detachedSpan('<failed>');
  }
}

/**
 * Runs `fn` with `span` active, so spans and metrics inside it belong to it.
 *
 * @example
 * withActiveSpan(span, () => metrics.count('retry'));
 */
export function withActiveSpan<T>(span: Span, fn: () => T): T {
  if (!isSpan(span)) return fn();
  const manager = getContextManager();
  const run = (): T => manager.with({ ...manager.active(), span, trace: span, propagation: span.propagation }, fn);
  const bridge = getTracingBridge();
  return bridge !== undefined && span.external !== undefined ? bridge.withActiveSpan(span.external, run) : run();
}

/** The active span, if any. */
export function getActiveSpan(): Span | undefined {
  const span = getContextManager().active()?.span;
  return isSpan(span) ? span : undefined;
}
