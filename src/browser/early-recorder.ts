import { getContextManager, type MetricsRecorder } from '../core/carrier';
import type { ActiveContext } from '../core/internal/context';
import type { DropRecorder } from '../core/internal/drop-counter';

/**
 * Calls kept at most while the engine loads; past it, each call is counted as `queue_overflow`.
 * As many as the Sentry glue keeps for itself while it loads (`MAX_PENDING_SENTRY_POINTS`), so a
 * burst recorded right after `init` is not cut shorter by the engine's own load.
 */
export const MAX_EARLY_CALLS = 20_000;

/**
 * One metrics call made before the engine loaded: op (0 count, 1 gauge, 2 distribution), name,
 * value, unit, attributes (a copy: the app may reuse its object), the wall-clock time, the active
 * context (scoped attributes, the span it was recorded in), and the distribution's call site.
 */
export type EarlyCall = [
  op: 0 | 1 | 2,
  name: unknown,
  value: unknown,
  unit: unknown,
  attributes: Record<string, unknown> | undefined,
  time: number,
  context: ActiveContext | undefined,
  where?: string,
];

/**
 * What metrics calls reach while a page's engine chunk loads (see browser/init.ts): each call is
 * kept as it was made, in order, up to `MAX_EARLY_CALLS`, for the engine to replay into the real
 * aggregator. Validation happens at replay, so a bad call is counted then, by its reason.
 */
export class EarlyRecorder implements MetricsRecorder {
  // Never the epoch of a real aggregator: a bound counter re-finds its series once the engine is in.
  readonly epoch = -2;
  calls: EarlyCall[] = [];

  constructor(private readonly drops: DropRecorder) {}

  count(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void {
    this.keep(0, name, value, unit, attributes);
  }

  gauge(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined): void {
    this.keep(1, name, value, unit, attributes);
  }

  distribution(name: string, value: number, unit: unknown, attributes: Record<string, unknown> | undefined, where?: string): void {
    this.keep(2, name, value, unit, attributes, where);
  }

  boundCounterAdd(name: unknown, value: unknown, unit: unknown, attributes: unknown): undefined {
    // A bound counter's attributes are pinned: scoped ones and exemplars do not apply to it.
    this.keep(0, name, value, unit, attributes as Record<string, unknown> | undefined, undefined, false);
    return undefined;
  }

  /** Takes the kept calls, leaving the recorder empty. */
  take(): EarlyCall[] {
    const calls = this.calls;
    this.calls = [];
    return calls;
  }

  private keep(op: 0 | 1 | 2, name: unknown, value: unknown, unit: unknown, attributes: Record<string, unknown> | undefined, where?: string, inContext = true): void {
    if (this.calls.length >= MAX_EARLY_CALLS) {
      this.drops.record('queue_overflow');
      return;
    }
    const copy = typeof attributes === 'object' && attributes !== null ? { ...attributes } : attributes;
    this.calls.push([op, name, value, unit, copy, Date.now(), inContext ? getContextManager().active() : undefined, where]);
  }
}
