import { hostConsole } from './runtime-globals';
import { errorMessage } from './error-message';

const PREFIX = '[isometer]';
const warnedKeys = new Set<string>();
// Bounded so a flood of distinct warning keys cannot grow memory without limit.
const MAX_WARNED_KEYS = 1000;
let verbose = false;

/**
 * The one logger every part of isometer writes through. Warnings about the user's own input are
 * printed once per key, always; `debug: true` adds the verbose lines. It never throws.
 *
 * @example
 * debugLogger.warnOnce('metrics.count:value', 'metrics.count: value must be a finite number; the point was dropped.');
 */
export const debugLogger = {
  /** Turns verbose logging on or off (the `debug` option). */
  setVerbose(enabled: boolean): void {
    verbose = enabled;
  },
  isVerbose(): boolean {
    return verbose;
  },
  /** Logs only with `debug: true`. */
  log(...args: unknown[]): void {
    if (verbose) write('log', args);
  },
  /** Logs a warning the first time `key` is seen, and never again for that key. */
  warnOnce(key: string, message: string): void {
    if (warnedKeys.has(key)) return;
    if (warnedKeys.size < MAX_WARNED_KEYS) warnedKeys.add(key);
    write('warn', [message]);
  },
  /** Logs a warning every time: for callers that limit it themselves (once per interval). */
  warn(message: string): void {
    write('warn', [message]);
  },
  /** An internal error: logged once per message, never rethrown. */
  internalError(where: string, error: unknown): void {
    const detail = errorMessage(error);
    debugLogger.warnOnce(`internal:${where}:${detail}`, `${where} failed internally and was skipped: ${detail}`);
  },
  /** Forgets which warnings were shown (for tests). */
  resetWarnings(): void {
    warnedKeys.clear();
  },
};

function write(level: 'log' | 'warn', args: unknown[]): void {
  try {
    const target = hostConsole();
    if (target) target[level](PREFIX, ...args);
  } catch {
    // A broken console must not take the host down.
  }
}
