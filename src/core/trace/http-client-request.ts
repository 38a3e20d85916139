import type { AttributeValue } from '../internal/attributes';
import { getContextManager } from '../carrier';
import { debugLogger } from '../internal/debug-logger';
import { now } from '../internal/runtime-globals';
import { metrics } from '../metrics/metrics';
import { HTTP_CLIENT_DURATION_METRIC, httpClientErrorType, httpRequestMethod } from './http-conventions';
import type { Span } from './span';

/** One outgoing request being timed: its span (if one was made) and its metric attributes. */
export interface HttpClientRequest {
  readonly span: Span | undefined;
  readonly attributes: Record<string, AttributeValue>;
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
 * Starts timing an outgoing request for `http.client.request.duration` (OpenTelemetry HTTP
 * semantic conventions: seconds, with `http.request.method`, `server.address`, `server.port`,
 * `url.scheme`), and gives its span, if any, the same attributes. Both runtimes' fetch, XHR and
 * `http.request` instrumentation use it. Never throws.
 *
 * @example
 * const timing = startHttpClientRequest('GET', new URL('https://api.example.com/items'), span);
 * // … once the response ended:
 * endHttpClientRequest(timing, 200);
 */
export function startHttpClientRequest(method: string, url: RequestUrl | undefined, span: Span | undefined): HttpClientRequest {
  const attributes: Record<string, AttributeValue> = { 'http.request.method': httpRequestMethod(method) };
  try {
    if (url !== undefined) {
      const scheme = url.protocol.replace(/:$/, '');
      // `hostname` keeps IPv6 brackets; semconv wants the bare address.
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
      if (host) attributes['server.address'] = host;
      if (port !== undefined && Number.isFinite(port)) attributes['server.port'] = port;
      if (scheme) attributes['url.scheme'] = scheme;
    }
    if (span !== undefined) {
      // This request feeds `http.client.request.duration`; a `span.duration` point too would double it.
      span.recordsDuration = false;
      span.setAttributes(attributes);
    }
  } catch (error) {
    debugLogger.internalError('http.client: starting the request timing', error);
  }
  return { span, attributes, startClock: now(), ended: false };
}

/**
 * Ends an outgoing request once (later calls do nothing): sets the status code and `error.type`
 * (a 4xx/5xx status, the error's code or class, `_OTHER` for no response) on the span and the
 * metric, marks the span failed on a 5xx or no response, ends it, and records the duration in
 * seconds linked to the span's trace.
 *
 * @example
 * endHttpClientRequest(timing, undefined, new TypeError('Failed to fetch')); // error.type: TypeError
 */
export function endHttpClientRequest(request: HttpClientRequest, statusCode: number | undefined, error?: unknown): void {
  if (request.ended) return;
  request.ended = true;
  try {
    const seconds = (now() - request.startClock) / 1000;
    const status = typeof statusCode === 'number' && statusCode > 0 ? statusCode : undefined;
    const errorType = httpClientErrorType(status, error);
    const attributes: Record<string, AttributeValue> = { ...request.attributes };
    if (status !== undefined) attributes['http.response.status_code'] = status;
    if (errorType !== undefined) attributes['error.type'] = errorType;
    const span = request.span;
    if (span !== undefined) {
      if (status !== undefined) span.setAttribute('http.response.status_code', status);
      if (errorType !== undefined) span.setAttribute('error.type', errorType);
      if (error !== undefined) span.setStatus('error', error instanceof Error ? error.message : typeof error === 'string' ? error : 'request failed');
      else if (status === undefined) span.setStatus('error', statusCode === 0 ? 'network error' : 'no response');
      else if (status >= 500) span.setStatus('error', `HTTP ${status}`);
      span.end();
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
