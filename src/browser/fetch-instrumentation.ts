import { debugLogger } from '../core/internal/debug-logger';
import { isTracingSuppressed } from '../core/trace/suppress-tracing';
import { startHttpClientRequest, type HttpClientRequest } from '../core/trace/http-client-request';
import type { FrontClient } from './front-client';
import { planBrowserRequest } from './outgoing-headers';
import { resolveUrl, sentryInjectsHeaders } from './propagation-decision';

type Fetch = typeof fetch;

/**
 * Wraps `fetch`: each call gets an `http.client` span and feeds `http.client.request.duration`
 * (seconds, OpenTelemetry's HTTP attributes), and requests to propagation targets carry the trace
 * headers (unless Sentry injects them itself). Returns the undo function.
 */
export function instrumentFetch(front: FrontClient): () => void {
  const original = globalThis.fetch as Fetch | undefined;
  if (typeof original !== 'function') return () => undefined;
  const instrumented = function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // Sentry's BrowserTracing makes its own request spans and headers; isometer stays out.
    if (isTracingSuppressed() || sentryInjectsHeaders()) return original.call(this, input, init);
    let timing: HttpClientRequest | undefined;
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
        if (plan) timing = startHttpClientRequest(method, url, plan.span);
        if (plan?.headers) {
          for (const name in plan.headers) headers.set(name, plan.headers[name]);
          args = [input, { ...init, headers }];
        }
      }
    } catch (error) {
      debugLogger.internalError('fetch instrumentation', error);
    }
    const response = original.apply(this, args);
    if (!timing) return response;
    const request = timing;
    return response.then(
      (result) => {
        front.endRequest(request, result.status);
        return result;
      },
      (error: unknown) => {
        front.endRequest(request, undefined, error);
        throw error;
      },
    );
  };
  globalThis.fetch = instrumented as Fetch;
  return () => {
    if (globalThis.fetch === (instrumented as Fetch)) globalThis.fetch = original;
  };
}
