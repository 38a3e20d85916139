import diagnosticsChannel from 'node:diagnostics_channel';
import { debugLogger } from '../core/internal/debug-logger';
import { endHttpClientRequest, startHttpClientRequest, type HttpClientRequest } from '../core/trace/http-client-request';
import { parseUrl } from '../core/internal/runtime-globals';
import { planOutgoingRequest } from './outgoing-request-tracing';

/** A request being timed, and the status its headers brought. */
interface TimedRequest {
  timing: HttpClientRequest;
  status?: number;
}

/**
 * The part of undici's request that its diagnostics channels expose
 * (https://undici.nodejs.org/#/docs/api/DiagnosticsChannel). `headers` is a flat
 * `[name, value, …]` array in undici 6 (Node 20, 22) and a `"name: value\r\n…"` string in undici 5
 * (Node 18).
 */
interface UndiciRequest {
  origin: string | URL;
  path: string;
  method: string;
  headers: unknown;
  addHeader(name: string, value: string): unknown;
}

// Global, so an ESM and a CJS copy of isometer never subscribe twice.
const INSTALLED = Symbol.for('isometer.fetch-instrumentation');
const globalState = globalThis as { [INSTALLED]?: boolean };

function readUndiciHeader(headers: unknown, name: string): string | undefined {
  const values: string[] = [];
  if (Array.isArray(headers)) {
    for (let index = 0; index + 1 < headers.length; index += 2) {
      if (String(headers[index]).toLowerCase() !== name) continue;
      const value: unknown = headers[index + 1];
      values.push(Array.isArray(value) ? value.join(',') : String(value));
    }
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) values.push(line.slice(colon + 1).trim());
    }
  }
  return values.length === 0 ? undefined : values.join(',');
}

/** Replaces every `name` header with one `value` (addHeader alone would append a second one). */
function replaceUndiciHeader(request: UndiciRequest, name: string, value: string): void {
  const headers = request.headers;
  if (Array.isArray(headers)) {
    for (let index = headers.length - 2; index >= 0; index -= 2) {
      if (String(headers[index]).toLowerCase() === name) headers.splice(index, 2);
    }
  } else if (typeof headers === 'string') {
    request.headers = headers
      .split('\r\n')
      .filter(
        (line) =>
          line
            .slice(0, Math.max(line.indexOf(':'), 0))
            .trim()
            .toLowerCase() !== name,
      )
      .join('\r\n');
  }
  request.addHeader(name, value);
}

/** A subscriber's throw would surface as an uncaught exception (Node rethrows it on nextTick). */
function guarded(listener: (message: unknown) => void): (message: unknown) => void {
  return (message) => {
    try {
      listener(message);
    } catch (error) {
      debugLogger.internalError('fetch: ending a request timing', error);
    }
  };
}

/**
 * Makes the global `fetch` (undici) carry the active trace, as `instrumentHttpClient` does for
 * `http.request`. Returns the function that undoes it.
 *
 * Why the `undici:request:create` diagnostics channel rather than wrapping `globalThis.fetch`:
 * it fires for every request undici makes (the global `fetch`, each redirect hop, and the
 * `undici` package's own `request`/`fetch` in the same process), in the caller's async context,
 * before the request head is written, and `request.addHeader` is part of its documented shape
 * (Node 18.19+, 20, 22). The span ends on `undici:request:trailers` (the whole response body was
 * read) or `undici:request:error`.
 *
 * @example
 * const undo = instrumentFetch();
 * await startSpan({ name: 'sync' }, () => fetch('http://127.0.0.1:8080/items')); // carries sentry-trace
 * undo();
 */
export function instrumentFetch(): () => void {
  if (globalState[INSTALLED]) return () => undefined;
  const requests = new WeakMap<object, TimedRequest>();
  const onCreate = (message: unknown): void => {
    try {
      const request = (message as { request?: UndiciRequest }).request;
      if (!request || typeof request.addHeader !== 'function') return;
      const origin = typeof request.origin === 'string' ? request.origin.replace(/\/$/, '') : request.origin.origin;
      const url = `${origin}${request.path}`;
      const plan = planOutgoingRequest({ method: request.method, url, header: (name) => readUndiciHeader(request.headers, name) });
      if (plan === undefined) return;
      if (plan.headers) {
        for (const name in plan.headers) {
          if (name === 'baggage' || name === 'tracestate') replaceUndiciHeader(request, name, plan.headers[name]);
          else request.addHeader(name, plan.headers[name]);
        }
      }
      requests.set(request, { timing: startHttpClientRequest(request.method, parseUrl(url) as URL | undefined, plan.span) });
    } catch (error) {
      debugLogger.internalError('fetch: tracing a request', error);
    }
  };
  const onHeaders = (message: unknown): void => {
    const { request, response } = message as { request: object; response?: { statusCode?: number } };
    const timed = requests.get(request);
    if (timed && typeof response?.statusCode === 'number') timed.status = response.statusCode;
  };
  const onTrailers = (message: unknown): void => {
    const { request } = message as { request: object };
    const timed = requests.get(request);
    if (!timed) return;
    requests.delete(request);
    endHttpClientRequest(timed.timing, timed.status);
  };
  const onError = (message: unknown): void => {
    const { request, error } = message as { request: object; error?: unknown };
    const timed = requests.get(request);
    if (!timed) return;
    requests.delete(request);
    endHttpClientRequest(timed.timing, timed.status, error ?? 'request failed');
  };
  const subscriptions: Array<[string, (message: unknown) => void]> = [
    ['undici:request:create', onCreate],
    ['undici:request:headers', guarded(onHeaders)],
    ['undici:request:trailers', guarded(onTrailers)],
    ['undici:request:error', guarded(onError)],
  ];
  try {
    for (const [name, listener] of subscriptions) diagnosticsChannel.subscribe(name, listener);
    globalState[INSTALLED] = true;
  } catch (error) {
    debugLogger.internalError('fetch: instrumenting', error);
  }
  return () => {
    for (const [name, listener] of subscriptions) {
      try {
        diagnosticsChannel.unsubscribe(name, listener);
      } catch {
        // Never subscribed (the install failed part-way).
      }
    }
    globalState[INSTALLED] = false;
  };
}
