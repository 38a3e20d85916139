import type { Attributes } from './attributes';
import type { PropagationContext } from './propagation-context';

/** The trace a data point was recorded in: enough to link a metric to its span. */
export interface TraceLink {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean | undefined;
  /** The rate the trace was sampled with, when known. */
  readonly sampleRate?: number;
}

/** Attributes set by `withAttributes`, with their canonical key computed once. */
export interface AttributeScope {
  readonly attributes: Attributes;
  readonly key: string;
}

/** What is active at a point of execution: the scoped attributes and the current span. */
export interface ActiveContext {
  readonly scope?: AttributeScope;
  readonly trace?: TraceLink;
  /** The active span object, when tracing is in use (opaque to the metrics side). */
  readonly span?: unknown;
  /** The trace continued from incoming headers (or the page's), when no local span is active. */
  readonly propagation?: PropagationContext;
  /** Set by `suppressTracing`: request instrumentation stays out. */
  readonly suppressed?: boolean;
}

/**
 * Keeps the active context. The core's own is a synchronous stack (browsers); Node plugs in one
 * built on `AsyncLocalStorage` so the context follows async work.
 */
export interface ContextManager {
  active(): ActiveContext | undefined;
  with<T>(context: ActiveContext, fn: () => T): T;
}

/**
 * A context manager that follows synchronous nesting only: the context set by `with` is active
 * until `fn` returns. Work resumed after an `await` inside `fn` no longer sees it.
 *
 * @example
 * const manager = createStackContextManager();
 * manager.with({ scope }, () => manager.active()); // → { scope }
 */
export function createStackContextManager(): ContextManager {
  let current: ActiveContext | undefined;
  return {
    active: () => current,
    with<T>(context: ActiveContext, fn: () => T): T {
      const previous = current;
      current = context;
      try {
        return fn();
      } finally {
        current = previous;
      }
    },
  };
}
