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
 * A budget of SLICE_MS for one slice of a long loop. `spent()` reads the clock only every 32
 * calls, since even `performance.now()` costs tens of nanoseconds.
 *
 * @example
 * const slice = new TimeSlice();
 * for (const item of items) { work(item); if (slice.spent()) { await yieldToHost(); slice.start(); } }
 */
export class TimeSlice {
  private deadline = now() + SLICE_MS;
  private calls = 0;

  start(): void {
    this.deadline = now() + SLICE_MS;
    this.calls = 0;
  }

  spent(): boolean {
    return (++this.calls & 31) === 0 && now() >= this.deadline;
  }
}
