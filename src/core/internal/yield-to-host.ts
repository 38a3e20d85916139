import { now, scheduleTimeout } from './runtime-globals';

/** How long one slice of flush work may hold the event loop or main thread, in milliseconds. */
export const SLICE_MS = 3;

interface YieldGlobals {
  setImmediate?: (fn: () => void) => unknown;
  scheduler?: { yield?: () => Promise<void> };
  MessageChannel?: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(message: unknown): void } };
  document?: { visibilityState?: string };
}

/**
 * Resolves after the host has had a turn (timers, I/O, input, rendering): Node's `setImmediate`,
 * the browser's `scheduler.yield()` or a `MessageChannel` message, else a 0 ms timer. A hidden
 * page does not yield: it may never run another task (pagehide), and nobody is waiting on it.
 *
 * @example
 * if (slice.spent()) { await yieldToHost(); slice.start(); }
 */
export function yieldToHost(): Promise<void> {
  const host = globalThis as unknown as YieldGlobals;
  try {
    if (host.document?.visibilityState === 'hidden') return Promise.resolve();
    if (typeof host.setImmediate === 'function') return new Promise((resolve) => host.setImmediate!(resolve));
    if (typeof host.scheduler?.yield === 'function') return host.scheduler.yield();
    if (typeof host.MessageChannel === 'function') {
      const channel = new host.MessageChannel();
      return new Promise((resolve) => {
        channel.port1.onmessage = () => {
          channel.port1.close();
          resolve();
        };
        channel.port2.postMessage(undefined);
      });
    }
  } catch {
    // An odd host: fall through to a timer.
  }
  return new Promise((resolve) => scheduleTimeout(resolve, 0));
}

/**
 * Work a slice may always do, even when the turn's budget is spent: a small flush after a long
 * stretch of the host's own code still completes at once (a pagehide flush reaches its exporters
 * in its task), while steps chained in one turn add at most this much each.
 */
const MIN_SLICE_MS = 1;

/** When this turn's slicing budget ends; undefined until sliced work starts in a turn. */
let currentTurnDeadline: number | undefined;

/**
 * The end of this turn's slicing budget: SLICE_MS from the first sliced work of the turn, shared
 * by every slice started in it. A flush chains collection, the running totals and encoding;
 * with a budget each, a turn could hold the host for several slices back to back. The budget
 * reopens once the host has had its turn.
 *
 * @example
 * if (now() >= turnDeadline()) return; // give the host its turn first
 */
export function turnDeadline(): number {
  const at = now();
  // A deadline further away than one slice means the clock went back (a mocked clock): start over.
  if (currentTurnDeadline === undefined || currentTurnDeadline - at > SLICE_MS) {
    const first = currentTurnDeadline === undefined;
    currentTurnDeadline = at + SLICE_MS;
    if (!first) return currentTurnDeadline;
    void yieldToHost().then(() => (currentTurnDeadline = undefined));
  }
  return currentTurnDeadline;
}

/** The rest of this turn's budget, but never less than MIN_SLICE_MS from now. */
function sliceDeadline(): number {
  return Math.max(turnDeadline(), now() + MIN_SLICE_MS);
}

/**
 * The rest of this turn's budget (see `turnDeadline`, at least 1 ms) for one slice of a long loop. `spent()`
 * reads the clock only every 32 calls, since even `performance.now()` costs tens of nanoseconds.
 *
 * @example
 * const slice = new TimeSlice();
 * for (const item of items) { work(item); if (slice.spent()) { await yieldToHost(); slice.start(); } }
 */
export class TimeSlice {
  private deadline = sliceDeadline();
  private calls = 0;

  start(): void {
    this.deadline = sliceDeadline();
    this.calls = 0;
  }

  spent(): boolean {
    return (++this.calls & 31) === 0 && now() >= this.deadline;
  }
}
