/**
 * OpenTelemetry's HTTP semantic conventions, once for both runtimes' request instrumentation
 * (https://opentelemetry.io/docs/specs/semconv/http/http-metrics/ and …/http-spans/): the metric
 * names, the method rule and `error.type`.
 */

/** Server request duration, in seconds (semconv `http.server.request.duration`). */
export const HTTP_SERVER_DURATION_METRIC = 'http.server.request.duration';
/** Client request duration, in seconds (semconv `http.client.request.duration`). */
export const HTTP_CLIENT_DURATION_METRIC = 'http.client.request.duration';

/** The methods semconv knows (RFC 9110 + PATCH); any other is reported as `_OTHER`. */
const KNOWN_METHODS: Record<string, true> = { CONNECT: true, DELETE: true, GET: true, HEAD: true, OPTIONS: true, PATCH: true, POST: true, PUT: true, TRACE: true, QUERY: true };

/**
 * `http.request.method`: the method upper-cased when semconv knows it, else `_OTHER`, so a client
 * sending made-up methods cannot grow a series per method.
 *
 * @example
 * httpRequestMethod('get'); // → 'GET'
 * httpRequestMethod('PURGE'); // → '_OTHER'
 */
export function httpRequestMethod(method: unknown): string {
  if (typeof method !== 'string' || method === '') return 'GET';
  // Node hands a server the method already upper-cased: no new string for every request.
  if (KNOWN_METHODS[method] === true) return method;
  const upper = method.toUpperCase();
  return KNOWN_METHODS[upper] === true ? upper : '_OTHER';
}

/**
 * `error.type` of a client request: the status code for a 4xx or 5xx answer, else the error's
 * code (`ECONNREFUSED`) or class name (`TypeError`), else `_OTHER`; undefined when it succeeded.
 *
 * @example
 * httpClientErrorType(503, undefined); // → '503'
 */
export function httpClientErrorType(statusCode: number | undefined, error: unknown): string | undefined {
  if (typeof statusCode === 'number' && statusCode >= 400) return String(statusCode);
  if (error === undefined) return statusCode === undefined || statusCode === 0 ? '_OTHER' : undefined;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 && name.length <= 64 ? name : '_OTHER';
}

/**
 * `error.type` of a server request: the status code for a 5xx answer (a 4xx is the client's
 * error, not the server's), `aborted` when the connection closed before the response was sent.
 *
 * @example
 * httpServerErrorType(500, true); // → '500'
 */
export function httpServerErrorType(statusCode: number, finished: boolean): string | undefined {
  if (statusCode >= 500) return String(statusCode);
  return finished ? undefined : 'aborted';
}
