/**
 * The few host globals the core needs, reached through `globalThis` so the core compiles
 * with `lib: es2020` and no DOM or Node types. Every one of them exists in browsers and in
 * Node ≥ 16; each access is still feature-detected so an odd host degrades instead of throwing.
 */

/** An opaque timer handle; Node's has `unref()`, the browser's is a number. */
export type TimerHandle = unknown;

interface HostGlobals {
  setTimeout?: (fn: () => void, ms: number) => TimerHandle;
  clearTimeout?: (handle: TimerHandle) => void;
  setInterval?: (fn: () => void, ms: number) => TimerHandle;
  clearInterval?: (handle: TimerHandle) => void;
  performance?: { now(): number; timeOrigin?: number };
  console?: { warn(...args: unknown[]): void; log(...args: unknown[]): void; error(...args: unknown[]): void };
}

const host = globalThis as unknown as HostGlobals;
const performanceClock = host.performance && typeof host.performance.now === 'function' ? host.performance : undefined;

/** Milliseconds from an arbitrary origin, monotonic where the host allows: for measuring durations. */
export const now: () => number = performanceClock ? () => performanceClock.now() : () => Date.now();

/** Milliseconds since the Unix epoch: for timestamps that leave the process. */
export function wallClockMs(): number {
  return Date.now();
}

/** Calls `fn` after `ms`; the timer never keeps a Node process alive on its own. */
export function scheduleTimeout(fn: () => void, ms: number): TimerHandle {
  return unref(host.setTimeout ? host.setTimeout(fn, ms) : undefined);
}

/** Calls `fn` every `ms`; the timer never keeps a Node process alive on its own. */
export function scheduleInterval(fn: () => void, ms: number): TimerHandle {
  return unref(host.setInterval ? host.setInterval(fn, ms) : undefined);
}

export function cancelTimeout(handle: TimerHandle): void {
  if (handle !== undefined && host.clearTimeout) host.clearTimeout(handle);
}

export function cancelInterval(handle: TimerHandle): void {
  if (handle !== undefined && host.clearInterval) host.clearInterval(handle);
}

function unref(handle: TimerHandle): TimerHandle {
  const maybeNodeTimer = handle as { unref?: () => void } | undefined;
  if (maybeNodeTimer && typeof maybeNodeTimer.unref === 'function') maybeNodeTimer.unref();
  return handle;
}

/** The host console, or nothing: a missing console must not break logging. */
export function hostConsole(): HostGlobals['console'] {
  return host.console;
}

/** The parts of a WHATWG `URL` the core reads. */
export interface ParsedUrl {
  href: string;
  protocol: string;
  host: string;
  hostname: string;
  origin: string;
  pathname: string;
}

/** Parses `url` (against `base`) with the host's `URL`; undefined when it is not a URL or there is no `URL`. */
export function parseUrl(url: string, base?: string): ParsedUrl | undefined {
  const UrlConstructor = (globalThis as { URL?: new (url: string, base?: string) => ParsedUrl }).URL;
  if (typeof UrlConstructor !== 'function') return undefined;
  try {
    return new UrlConstructor(url, base);
  } catch {
    return undefined;
  }
}
