import { debugLogger } from '../../internal/debug-logger';

/** What to do with a request after its response. */
export type ResponseVerdict = 'delivered' | 'retry' | 'reject';

export interface RetryPolicyOptions {
  /** Retries after the first attempt before the request is dropped. Default 5. */
  maxRetries?: number;
  /** Cap of the first retry's delay. Default 1000 ms. */
  initialBackoffMs?: number;
  /** Cap of any one delay. Default 30000 ms. */
  maxBackoffMs?: number;
  /** A source of [0, 1) numbers for the jitter; `Math.random` unless a test pins it. */
  random?: () => number;
}

/** When to retry and how long to wait first. */
export interface RetryPolicy {
  readonly maxRetries: number;
  /** Sorts a status: 2xx delivered; 408, 429 and 5xx worth a retry; anything else rejected for good. */
  classify(status: number): ResponseVerdict;
  /** The delay before retry number `retry` (1-based). */
  backoffMs(retry: number): number;
}

export const DEFAULT_MAX_RETRIES = 5;
export const DEFAULT_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_MAX_BACKOFF_MS = 30_000;

/**
 * Exponential backoff with full jitter: retry n waits a uniformly random time in
 * [0, min(max, initial · 2^(n-1))), which spreads clients that failed together
 * (https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/). The OTLP spec asks
 * for exponential backoff with jitter on retryable responses
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp-throttling).
 *
 * @example
 * const policy = createRetryPolicy({ maxRetries: 3, initialBackoffMs: 500 });
 * policy.classify(503); // → 'retry'
 * policy.backoffMs(2);  // → somewhere in [0, 1000)
 */
export function createRetryPolicy(options: RetryPolicyOptions = {}): RetryPolicy {
  const maxRetries = nonNegative(options.maxRetries, DEFAULT_MAX_RETRIES, 'maxRetries');
  const initialBackoffMs = nonNegative(options.initialBackoffMs, DEFAULT_INITIAL_BACKOFF_MS, 'initialBackoffMs');
  const maxBackoffMs = Math.max(initialBackoffMs, nonNegative(options.maxBackoffMs, DEFAULT_MAX_BACKOFF_MS, 'maxBackoffMs'));
  const random = typeof options.random === 'function' ? options.random : Math.random;
  return {
    maxRetries: Math.floor(maxRetries),
    classify(status) {
      if (status >= 200 && status < 300) return 'delivered';
      // Status 0 is what a host reports when it got no real response.
      if (status === 0 || status === 408 || status === 429 || (status >= 500 && status < 600)) return 'retry';
      return 'reject';
    },
    backoffMs(retry) {
      const cap = Math.min(maxBackoffMs, initialBackoffMs * 2 ** Math.max(0, retry - 1));
      let jitter = Number.NaN;
      try {
        jitter = random();
      } catch {
        // A broken random source must not stop delivery: half the cap is still a valid delay.
      }
      return Number.isFinite(jitter) && jitter >= 0 && jitter < 1 ? jitter * cap : cap / 2;
    },
  };
}

function nonNegative(value: unknown, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  debugLogger.warnOnce(`delivery:${option}`, `delivery option ${option} must be a finite number ≥ 0; using ${fallback}.`);
  return fallback;
}
