import http from 'node:http';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import { debugLogger } from '../core/internal/debug-logger';
import { planOutgoingRequest } from './outgoing-request-tracing';
import { endHttpClientRequest, startHttpClientRequest } from '../core/trace/http-client-request';
import { parseUrl } from '../core/internal/runtime-globals';

// Marks isometer's wrappers, globally, so two copies of isometer never stack two.
const PATCHED = Symbol.for('isometer.http-client.request');

type RequestFunction = (...args: unknown[]) => http.ClientRequest;
type MarkedRequest = RequestFunction & { [PATCHED]?: true };
type HttpModule = { request: RequestFunction; get: RequestFunction };

function headerValue(request: http.ClientRequest, name: string): string | undefined {
  const value = request.getHeader(name);
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The URL the request goes to, as the caller would write it (the Host header carries a non-default port). */
function requestUrl(request: http.ClientRequest): string {
  const host = headerValue(request, 'host') ?? request.host;
  return `${request.protocol}//${host}${request.path}`;
}

/**
 * Plans the request just created, sets its headers, and, when it closes, ends its span and
 * records `http.client.request.duration`.
 */
function traceClientRequest(request: http.ClientRequest): void {
  try {
    const url = requestUrl(request);
    const plan = planOutgoingRequest({ method: request.method, url, header: (name) => headerValue(request, name) });
    if (plan === undefined) return;
    if (plan.headers) {
      // Raw header arrays and `Expect` make Node write the head in the constructor: too late.
      if (request.headersSent) debugLogger.log(`http.client: headers of ${request.method} ${request.path} were already written; no trace headers added.`);
      else for (const name in plan.headers) request.setHeader(name, plan.headers[name]);
    }
    const timing = startHttpClientRequest(request.method, parseUrl(url) as URL | undefined, plan.span);
    // 'close' fires once the response has ended or the request failed; listening to it (unlike
    // 'response' or 'error') changes nothing for the caller. `request.res` is the response, if any
    // came; without one, the socket keeps the error that ended the request (`ECONNREFUSED`).
    request.once('close', () => {
      const response = (request as { res?: http.IncomingMessage | null }).res;
      endHttpClientRequest(timing, response?.statusCode, response ? undefined : ((request.socket as { errored?: unknown } | null)?.errored ?? undefined));
    });
  } catch (error) {
    debugLogger.internalError('http.client: tracing a request', error);
  }
}

/**
 * Replaces `request` and `get` of one module. `get` is rebuilt on the wrapped `request` (Node's
 * own `get` calls the module's internal `request`, and ends the request before returning, which
 * would be too late to add headers).
 */
function patchModule(module: HttpModule): () => void {
  const originalRequest = module.request as MarkedRequest;
  const originalGet = module.get;
  if (originalRequest[PATCHED]) return () => undefined;
  let enabled = true;
  const request: MarkedRequest = function request(this: unknown, ...args: unknown[]) {
    const clientRequest = originalRequest.apply(this, args);
    if (enabled) traceClientRequest(clientRequest);
    return clientRequest;
  };
  const get: MarkedRequest = function get(this: unknown, ...args: unknown[]) {
    if (!enabled) return originalGet.apply(this, args);
    const clientRequest = request.apply(this, args);
    clientRequest.end();
    return clientRequest;
  };
  request[PATCHED] = true;
  get[PATCHED] = true;
  module.request = request;
  module.get = get;
  return () => {
    enabled = false;
    if (module.request === request) module.request = originalRequest;
    if (module.get === get) module.get = originalGet;
  };
}

/**
 * Makes `http.request`, `http.get`, `https.request` and `https.get` carry the active trace: an
 * `http.client` span per request (when a span is active) and `sentry-trace` + `baggage` (and
 * `traceparent`/`tracestate` with `propagateTraceparent`) for URLs matching
 * `tracePropagationTargets`. Returns the function that undoes it.
 *
 * Why wrapping the module functions: on Node 20 the `http.client.request.start` diagnostics
 * channel is published only once the request head has been written, so `setHeader` there throws
 * `ERR_HTTP_HEADERS_SENT` (`http.client.request.created`, which comes earlier, exists only from
 * Node 22.12). `syncBuiltinESMExports()` makes `import { request } from 'node:http'` see the
 * wrapper too. A reference to the original taken before `init` (`const { get } = require('http')`
 * at load time) is not traced.
 *
 * @example
 * const undo = instrumentHttpClient();
 * startSpan({ name: 'sync' }, () => http.get('http://127.0.0.1:8080/items')); // carries sentry-trace
 * undo();
 */
export function instrumentHttpClient(): () => void {
  const undos: Array<() => void> = [];
  for (const module of [http, https]) {
    try {
      undos.push(patchModule(module as unknown as HttpModule));
    } catch (error) {
      debugLogger.internalError('http.client: instrumenting', error);
    }
  }
  syncExports();
  return () => {
    for (const undo of undos.splice(0)) undo();
    syncExports();
  };
}

function syncExports(): void {
  try {
    syncBuiltinESMExports();
  } catch (error) {
    debugLogger.internalError('http.client: syncBuiltinESMExports', error);
  }
}
