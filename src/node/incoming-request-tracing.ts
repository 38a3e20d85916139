import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveContext } from '../core/internal/context';
import { getContextManager } from '../core/carrier';
import { getClient } from '../core/sdk/get-client';
import { debugLogger } from '../core/internal/debug-logger';
import { metrics } from '../core/metrics/metrics';
import type { Span } from '../core/trace/span';
import { createSpan } from '../core/trace/create-span';
import { HTTP_SERVER_DURATION_METRIC, httpRequestMethod, httpServerErrorType } from '../core/trace/http-conventions';
import { continuedContext, continueTrace } from '../core/trace/trace-headers';
import { getTracingBridge } from '../core/carrier';
import { isSentryActive } from './sentry';
import { errorMessage } from '../core/internal/error-message';

// Global, so an ESM and a CJS copy of isometer in one process see each other's requests.
const REQUEST_STATE = Symbol.for('isometer.incoming-request');

/** What isometer keeps on an incoming request it traces. */
export interface IncomingRequestState {
  /** Undefined when a Sentry SDK owns spans: the trace is then only continued, for metrics. */
  readonly span: Span | undefined;
  readonly context: ActiveContext;
  /** `http.request.method` (`_OTHER` for methods semconv does not know). */
  readonly method: string;
  readonly scheme: 'http' | 'https';
  readonly serverAddress: string | undefined;
  readonly startClock: number;
  /** Reads the framework's route when the response finishes (set by `isometerMiddleware`). */
  routeResolver?: () => string | undefined;
  ended: boolean;
}

type TracedRequest = IncomingMessage & { [REQUEST_STATE]?: IncomingRequestState };
type TracedResponse = ServerResponse & { [REQUEST_STATE]?: IncomingRequestState };

/** The state of a request isometer already traces, if any. */
export function incomingRequestState(request: IncomingMessage): IncomingRequestState | undefined {
  return (request as TracedRequest)[REQUEST_STATE];
}

/** The request path without query or fragment; an absolute-form target (a proxy request) gives its path. */
function pathOf(url: string | undefined): string {
  if (typeof url !== 'string' || url === '') return '/';
  let path = url;
  if (!path.startsWith('/')) {
    try {
      path = new URL(path).pathname;
    } catch {
      return '/';
    }
  }
  // indexOf rather than a regex search: this runs for every request.
  const query = path.indexOf('?');
  const fragment = path.indexOf('#');
  const end = query === -1 ? fragment : fragment === -1 ? query : Math.min(query, fragment);
  return end === -1 ? path : path.slice(0, end) || '/';
}

function hostnameOf(host: string | undefined): string | undefined {
  if (typeof host !== 'string' || host === '') return undefined;
  // "[::1]:8080" → "::1", "example.com:8080" → "example.com".
  if (host.startsWith('[')) return host.slice(1, host.indexOf(']') === -1 ? undefined : host.indexOf(']'));
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/**
 * Makes every listener on `emitter` run in `context`. Events of a request and its response are
 * emitted from the socket's callbacks, whose async context is the connection's, not the
 * request's; without this, a handler that reads the body (`req.on('end', …)`, body parsers) and
 * then goes on would lose the request's span.
 */
function bindEmitter(emitter: NodeJS.EventEmitter, context: ActiveContext): void {
  const manager = getContextManager();
  const emit = emitter.emit;
  // `arguments` rather than rest parameters: every event of the request (each body chunk too)
  // passes through here, and `apply(this, arguments)` allocates no array.
  emitter.emit = function boundEmit(this: unknown, event: string | symbol) {
    // An event nobody listens to needs no context (most of a response's are such).
    if (emitter.listenerCount(event) === 0 || manager.active() === context) return emit.apply(this, arguments as unknown as Parameters<typeof emit>);
    const args = arguments;
    return manager.with(context, () => emit.apply(this, args as unknown as Parameters<typeof emit>));
  } as typeof emit;
}

function startRequest(request: IncomingMessage, response: ServerResponse): IncomingRequestState {
  const method = httpRequestMethod(request.method);
  const scheme = (request.socket as { encrypted?: boolean } | null)?.encrypted === true ? 'https' : 'http';
  const serverAddress = hostnameOf(request.headers.host);
  let span: Span | undefined;
  let context: ActiveContext;
  if (isSentryActive() || getTracingBridge() !== undefined) {
    // Sentry owns spans: its own continueTrace reads the headers; isometer keeps the trace for metrics.
    context = continueTrace(request.headers, () => getContextManager().active()) as ActiveContext;
  } else {
    // No context switch to read the caller's trace nor to make the span active: the span is made
    // in the continued context directly, and the handler then runs in the context it returns.
    const path = pathOf(request.url);
    const created = createSpan(
      {
        name: `${method} ${path}`,
        op: 'http.server',
        nameSource: 'url',
        url: typeof request.url === 'string' ? request.url : undefined,
        attributes: { 'http.request.method': method, 'url.path': path, 'url.scheme': scheme, 'server.address': serverAddress },
      },
      'http.server',
      continuedContext(new LowercaseHeaders(request.headers), getContextManager().active()),
    );
    span = created.span;
    // This request feeds `http.server.request.duration`; a `span.duration` point too would double it.
    span.recordsDuration = false;
    context = created.context;
  }
  // The span's own start clock when there is one: one clock read less a request.
  const state: IncomingRequestState = { span, context, method, scheme, serverAddress, startClock: span ? span.startClock : performance.now(), ended: false };
  (request as TracedRequest)[REQUEST_STATE] = state;
  // The request's events come from the socket (the connection's context); the response's come
  // from the writes the handler made, which already carry its context, so only the request needs binding.
  bindEmitter(request, context);
  // 'close' always follows 'finish' on a response, and comes alone when the connection drops.
  (response as TracedResponse)[REQUEST_STATE] = state;
  response.on('close', onResponseClose);
  return state;
}

/** One listener for every response (no closure per request); the state rides on the response. */
function onResponseClose(this: TracedResponse): void {
  const state = this[REQUEST_STATE];
  if (state !== undefined) finishRequest(state, this);
}

/**
 * Node's incoming header names are always lowercase: read them directly, rather than scanning
 * every key for a case-insensitive match of each trace header the request does not carry. A class,
 * so a request costs one small object and no closure.
 */
class LowercaseHeaders {
  constructor(private readonly headers: IncomingMessage['headers']) {}

  get(name: string): string | null {
    const value = this.headers[name];
    return typeof value === 'string' ? value : Array.isArray(value) ? value.join(',') : null;
  }
}

function finishRequest(state: IncomingRequestState, response: ServerResponse): void {
  if (state.ended) return;
  state.ended = true;
  try {
    const statusCode = response.statusCode;
    let route: string | undefined;
    try {
      route = state.routeResolver?.();
    } catch {
      route = undefined;
    }
    const span = state.span;
    const durationMs = span ? span.durationMs() : performance.now() - state.startClock;
    const errorType = httpServerErrorType(statusCode, response.writableFinished);
    if (span) {
      if (route) span.updateName(`${state.method} ${route}`, 'route').setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', statusCode);
      if (errorType !== undefined) {
        span.setAttribute('error.type', errorType);
        span.setStatus('error', statusCode >= 500 ? `HTTP ${statusCode}` : 'the connection closed before the response was sent');
      }
      span.end();
    }
    // Low cardinality on purpose: the route when a framework names it, never the raw path.
    const attributes: Record<string, string | number> = {
      'http.request.method': state.method,
      'http.response.status_code': statusCode,
      'url.scheme': state.scheme,
    };
    if (state.serverAddress !== undefined) attributes['server.address'] = state.serverAddress;
    if (route) attributes['http.route'] = route;
    if (errorType !== undefined) attributes['error.type'] = errorType;
    // Linked to the request's trace: 'close' usually fires in its context already, not when the client went away.
    // No closure when it already is (the usual case): one object less a request.
    const manager = getContextManager();
    if (manager.active() === state.context) recordDuration(durationMs, attributes);
    else manager.with(state.context, () => recordDuration(durationMs, attributes));
  } catch (error) {
    debugLogger.internalError('http.server: ending the request span', error);
  }
}

function recordDuration(durationMs: number, attributes: Record<string, string | number>): void {
  metrics.distribution(HTTP_SERVER_DURATION_METRIC, durationMs / 1000, { unit: 'second', attributes });
}

/** Asks the app's `ignoreIncomingRequests`; a filter that throws ignores nothing. */
function ignored(filter: ((url: string, method: string) => boolean) | undefined, request: IncomingMessage): boolean {
  if (filter === undefined) return false;
  try {
    return filter(request.url ?? '/', request.method ?? 'GET') === true;
  } catch (error) {
    debugLogger.warnOnce('ignoreIncomingRequests:throw', `ignoreIncomingRequests threw (${errorMessage(error)}); the request was traced.`);
    return false;
  }
}

/**
 * Runs `handler` for one incoming request inside the caller's trace: `continueTrace` on the
 * request headers, then an `http.server` span (`GET /path`, renamed to the route when one is
 * known at the end) that stays active for all the work the handler starts and ends when the
 * response finishes or the connection closes; a 5xx marks it failed. An unsampled request gets a
 * non-recording span (ids and start time). Each request also feeds the
 * `http.server.request.duration` distribution, in seconds, with OpenTelemetry's HTTP attributes. A request already traced (by the server instrumentation
 * or the middleware) is not traced again, nor one `ignoreIncomingRequests` names. Setup problems are logged and the handler runs plain;
 * the handler's own errors pass through unchanged.
 */
export function traceIncomingRequest<T>(request: IncomingMessage, response: ServerResponse, handler: () => T, routeResolver?: () => string | undefined): T {
  let state: IncomingRequestState | undefined;
  try {
    const client = getClient();
    if (client !== undefined && client.isActive && incomingRequestState(request) === undefined && !ignored(client.options.ignoreIncomingRequests, request)) {
      state = startRequest(request, response);
      if (routeResolver) state.routeResolver = routeResolver;
    }
  } catch (error) {
    debugLogger.internalError('http.server: starting the request span', error);
  }
  return state === undefined ? handler() : getContextManager().with(state.context, handler);
}
