import { now, wallClockMs } from '../../internal/runtime-globals';
import type { HttpResponse } from './http-transport';

/** The pause when `X-Sentry-Rate-Limits` names no usable number, as Sentry's SDKs use. */
export const DEFAULT_RATE_LIMIT_MS = 60_000;
const ALL = '';

/**
 * The delay `Retry-After` asks for, in ms: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3). Undefined when the header is absent or unreadable.
 *
 * @example
 * parseRetryAfter('2');                             // → 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'); // → ms until then (0 when past)
 */
export function parseRetryAfter(value: string | null | undefined, wallNowMs: number = wallClockMs()): number | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - wallNowMs);
}

/** Which categories the backend asked to pause, and until when. */
export interface RateLimits {
  /**
   * Reads a response's `X-Sentry-Rate-Limits` (any status) or, for 429 and 5xx, its
   * `Retry-After`. Returns true when `category` is paused once it is applied.
   */
  update(response: HttpResponse, category: string): boolean;
  /** Milliseconds until `category` may send again; 0 when it may send now. */
  remainingMs(category: string): number;
}

/**
 * Pauses per data category, as the backend asks.
 *
 * `X-Sentry-Rate-Limits` is `retry_after:categories:scope:reason_code:namespaces`, groups
 * comma-separated, categories `;`-separated, no categories meaning all
 * (https://develop.sentry.dev/sdk/expected-features/rate-limiting/). It wins over `Retry-After`,
 * which pauses every category. A category pause and an all-category pause both apply: the later
 * end wins. Namespaces are ignored: they only qualify the retired `metric_bucket` category.
 *
 * @example
 * const limits = createRateLimits();
 * limits.update({ status: 429, headers: { 'x-sentry-rate-limits': '60:span:organization' } }, 'span'); // → true
 * limits.remainingMs('trace_metric'); // → 0
 */
export function createRateLimits(): RateLimits {
  // Deadlines on the monotonic clock, so a wall-clock jump cannot end or stretch a pause.
  const pausedUntil = new Map<string, number>();
  const pause = (category: string, delayMs: number, at: number): void => {
    if (!(delayMs > 0)) return;
    const until = at + delayMs;
    if (until > (pausedUntil.get(category) ?? 0)) pausedUntil.set(category, until);
  };
  const remainingMs = (category: string): number => {
    if (pausedUntil.size === 0) return 0;
    const until = Math.max(pausedUntil.get(category) ?? 0, pausedUntil.get(ALL) ?? 0);
    return Math.max(0, until - now());
  };
  const apply = (response: HttpResponse, header: unknown): void => {
    const at = now();
    if (typeof header === 'string' && header.trim() !== '') {
      for (const group of header.split(',')) {
        const [seconds = '', categories = ''] = group.trim().split(':');
        const parsed = Number(seconds.trim());
        const delayMs = seconds.trim() !== '' && Number.isFinite(parsed) && parsed >= 0 ? parsed * 1000 : DEFAULT_RATE_LIMIT_MS;
        const names = categories
          .split(';')
          .map((name) => name.trim())
          .filter(Boolean);
        if (names.length === 0) pause(ALL, delayMs, at);
        else for (const name of names) pause(name, delayMs, at);
      }
    } else if (response.status === 429 || response.status >= 500) {
      // OTLP/HTTP throttling: 429 and 503 may carry Retry-After; without it the caller backs off.
      const delayMs = parseRetryAfter(response.headers['retry-after']);
      if (delayMs !== undefined) pause(ALL, delayMs, at);
    }
  };
  return {
    update(response, category) {
      const header = response.headers['x-sentry-rate-limits'];
      // A plain success (nearly every response) reads nothing more: the parsing is a function of
      // its own, which a page that is never limited does not compile.
      if (header != null || response.status === 429 || response.status >= 500) apply(response, header);
      return pausedUntil.size > 0 && remainingMs(category) > 0;
    },
    remainingMs,
  };
}
