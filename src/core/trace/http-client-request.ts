import type { AttributeValue } from '../internal/attributes';
import { getContextManager } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { now } from '../internal/runtime-globals';
import { metrics } from '../metrics/metrics';
import { HTTP_CLIENT_DURATION_METRIC, httpClientErrorType, httpRequestMethod } from './http-conventions';
import type { Span } from './span';

/** One outgoing request being timed: its span (if one was made), method, URL and start. */
export interface HttpClientRequest {
  readonly span: Span | undefined;
  readonly method: string;
  readonly url: RequestUrl | undefined;
  readonly startClock: number;
  ended: boolean;
}

/** The parts of a WHATWG `URL` this reads. */
interface RequestUrl {
  protocol: string;
  hostname: string;
  port: string;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Starts timing an outgoing request for `http.client.request.duration`. Both runtimes' fetch, XHR
 * and `http.request` instrumentation use it; it only notes the start, so a page's front can time
 * requests before its engine (which has {@link finishHttpClientRequest}) arrived. Never throws.
 *
 * @example
 * const timing = startHttpClientRequest('GET', new URL('https://api.example.com/items'), span);
 * // … once the response ended:
 * endHttpClientRequest(timing, 200);
 */
export function startHttpClientRequest(method: string, url: RequestUrl | undefined, span: Span | undefined): HttpClientRequest {
  // This request feeds `http.client.request.duration`; a `span.duration` point too would double it.
  if (span !== undefined) span.recordsDuration = false;
  return { span, method, url, startClock: now(), ended: false };
}

/**
 * Ends an outgoing request once (later calls do nothing); see {@link finishHttpClientRequest}.
 *
 * @example
 * endHttpClientRequest(timing, undefined, new TypeError('Failed to fetch')); // error.type: TypeError
 */
export function endHttpClientRequest(request: HttpClientRequest, statusCode: number | undefined, error?: unknown): void {
  if (request.ended) return;
  request.ended = true;
  finishHttpClientRequest(request, statusCode, error);
}

/**
 * What the end of a request records (OpenTelemetry HTTP semantic conventions): the span gets
 * `http.request.method`, `server.address`, `server.port`, `url.scheme`, the status code and
 * `error.type` (a 4xx/5xx status, the error's code or class, `_OTHER` for no response), is marked
 * failed on a 5xx or no response, and ends; the duration in seconds goes to
 * `http.client.request.duration` with the same attributes, linked to the span's trace. `endClock`
 * is when the request ended, when that was earlier (a page's request that ended before its engine
 * arrived). Never throws.
 *
 * @example
 * finishHttpClientRequest(timing, 503, undefined, endedAt); // error.type: '503', span status error
 */
export function finishHttpClientRequest(request: HttpClientRequest, statusCode: number | undefined, error?: unknown, endClock?: number): void {
  try {
    const seconds = ((endClock ?? now()) - request.startClock) / 1000;
    const attributes = requestAttributes(request);
    const status = typeof statusCode === 'number' && statusCode > 0 ? statusCode : undefined;
    const errorType = httpClientErrorType(status, error);
    if (status !== undefined) attributes['http.response.status_code'] = status;
    if (errorType !== undefined) attributes['error.type'] = errorType;
    const span = request.span;
    if (span !== undefined) {
      span.setAttributes(attributes);
      if (error !== undefined) span.setStatus('error', error instanceof Error ? error.message : typeof error === 'string' ? error : 'request failed');
      else if (status === undefined) span.setStatus('error', statusCode === 0 ? 'network error' : 'no response');
      else if (status >= 500) span.setStatus('error', `HTTP ${status}`);
      span.end(endClock === undefined ? undefined : span.wallTimeAt(endClock));
      const manager = getContextManager();
      const active = manager.active();
      manager.with({ scope: active?.scope, suppressed: active?.suppressed, span: active?.span, propagation: active?.propagation, trace: span }, () =>
        metrics.distribution(HTTP_CLIENT_DURATION_METRIC, seconds, { unit: 'second', attributes }),
      );
    } else {
      metrics.distribution(HTTP_CLIENT_DURATION_METRIC, seconds, { unit: 'second', attributes });
    }
  } catch (failure) {
    debugLogger.internalError('http.client: ending the request timing', failure);
  }
}

/** The request's own attributes: method, and the server's address, port and scheme. */
function requestAttributes(request: HttpClientRequest): Record<string, AttributeValue> {
  const attributes: Record<string, AttributeValue> = { 'http.request.method': httpRequestMethod(request.method) };
  const url = request.url;
  if (url !== undefined) {
    const scheme = url.protocol.replace(/:$/, '');
    // `hostname` keeps IPv6 brackets; semconv wants the bare address.
    const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    if (host) attributes['server.address'] = host;
    if (port !== undefined && Number.isFinite(port)) attributes['server.port'] = port;
    if (scheme) attributes['url.scheme'] = scheme;
  }
  return attributes;
}
