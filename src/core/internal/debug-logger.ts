import { hostConsole, now } from './runtime-globals';
import { errorMessage } from './error-message';

const PREFIX = '[isometer]';
const warnedKeys = new Set<string>();
// Bounded so a flood of distinct warning keys cannot grow memory without limit.
export const MAX_WARNED_KEYS = 1000;
/** Past the cap, new keys are not printed one by one but summarised at most this often. */
export const SUPPRESSED_SUMMARY_INTERVAL_MS = 60_000;
let verbose = false;
let suppressed = 0;
let lastSummaryAt = -Infinity;

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
  /**
   * Logs a warning the first time `key` is seen, and never again for that key. Past
   * `MAX_WARNED_KEYS` distinct keys, new ones are counted instead and summarised in one line at
   * most once a minute: a long-running process with endless distinct problems logs a bounded trickle.
   *
   * Callers pass `process.env.NODE_ENV !== 'production' && 'text'`, written out in full: bundlers
   * define `process.env.NODE_ENV` (Vite, webpack, esbuild when minifying for the browser, the
   * script-tag build), fold the condition, and leave a production bundle without the text; such a
   * warning prints its key, a short code. (A constant shared across modules would not fold: bundles
   * turn it into a `var`.) Node reads it at run time: the text shows unless `NODE_ENV=production`.
   */
  warnOnce(key: string, message: string | false): void {
    if (warnedKeys.has(key)) return;
    // A production build passed `process.env.NODE_ENV !== 'production' && text`: no text.
    if (message === false) message = `${key} (a production build prints this short code; a development build prints the full text)`;
    if (warnedKeys.size < MAX_WARNED_KEYS) {
      warnedKeys.add(key);
      write('warn', [message]);
      return;
    }
    suppressed++;
    const at = now();
    if (at - lastSummaryAt < SUPPRESSED_SUMMARY_INTERVAL_MS) return;
    lastSummaryAt = at;
    write('warn', [
      process.env.NODE_ENV !== 'production' ? `${suppressed} more distinct warning(s) were not shown (over ${MAX_WARNED_KEYS} kinds); the latest: ${message}` : `+${suppressed}: ${message}`,
    ]);
    suppressed = 0;
  },
  /** Logs a warning every time: for callers that limit it themselves (once per interval). */
  warn(message: string): void {
    write('warn', [message]);
  },
  /** An internal error: logged once per message, never rethrown. */
  internalError(where: string, error: unknown): void {
    const detail = errorMessage(error);
    debugLogger.warnOnce(`internal:${where}:${detail}`, process.env.NODE_ENV !== 'production' ? `${where} failed internally and was skipped: ${detail}` : `${where} failed internally: ${detail}`);
  },
  /** Forgets which warnings were shown (for tests). */
  resetWarnings(): void {
    warnedKeys.clear();
    suppressed = 0;
    lastSummaryAt = -Infinity;
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
