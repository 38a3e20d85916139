import type { Client } from '../core/sdk/client';
import { debugLogger } from '../core/internal/debug-logger';
import { isTracingSuppressed } from '../core/trace/suppress-tracing';
import type { Span } from '../core/trace/span';
import { planBrowserRequest } from './outgoing-headers';
import { resolveUrl, sentryInjectsHeaders } from './propagation-decision';

type Fetch = typeof fetch;

/** Ends a request span with the response status (5xx and network errors mark it failed). */
export function endRequestSpan(span: Span, status: number | undefined, error?: unknown): void {
  if (status !== undefined && status > 0) span.setAttribute('http.response.status_code', status);
  if (error !== undefined || status === 0) span.setStatus('error', error instanceof Error ? error.message : 'network error');
  else if (status !== undefined && status >= 500) span.setStatus('error', `HTTP ${status}`);
  span.end();
}

/**
 * Wraps `fetch`: each call gets an `http.client` span, and requests to propagation targets carry
 * the trace headers (unless Sentry injects them itself). Returns the undo function.
 */
export function instrumentFetch(_client: Client): () => void {
  const original = globalThis.fetch as Fetch | undefined;
  if (typeof original !== 'function') return () => undefined;
  const instrumented = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // Sentry's BrowserTracing makes its own request spans and headers; isometer stays out.
    if (isTracingSuppressed() || sentryInjectsHeaders()) return original.call(this, input, init);
    let span: Span | undefined;
    let args: [RequestInfo | URL, RequestInit | undefined] = [input, init];
    try {
      const request = typeof Request !== 'undefined' && input instanceof Request ? input : undefined;
      const raw = request ? request.url : String(input);
      const url = resolveUrl(raw);
      if (url) {
        const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
        // init.headers, when given, replace the Request's own (Fetch semantics): start from the same set.
        const headers = new Headers(init?.headers ?? request?.headers);
        const plan = planBrowserRequest(method, url, raw, (name) => headers.get(name) ?? undefined);
        span = plan?.span;
        if (plan?.headers) {
          for (const name in plan.headers) headers.set(name, plan.headers[name]);
          args = [input, { ...init, headers }];
        }
      }
    } catch (error) {
      debugLogger.internalError('fetch instrumentation', error);
    }
    const response = original.apply(this, args);
    if (!span) return response;
    const requestSpan = span;
    return response.then(
      (result) => {
        endRequestSpan(requestSpan, result.status);
        return result;
      },
      (error: unknown) => {
        endRequestSpan(requestSpan, undefined, error);
        throw error;
      },
    );
  };
  globalThis.fetch = instrumented as Fetch;
  return () => {
    if (globalThis.fetch === (instrumented as Fetch)) globalThis.fetch = original;
  };
}
