import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ActiveContext } from '../core/internal/context';
import { getContextManager } from '../core/carrier';
import { getClient } from '../core/sdk/get-client';
import { debugLogger } from '../core/internal/debug-logger';
import { metrics } from '../core/metrics/metrics';
import type { Span } from '../core/trace/span';
import { startInactiveSpan, withActiveSpan } from '../core/trace/start-span';
import { continueTrace } from '../core/trace/trace-headers';
import { isSentryActive } from './sentry';
import { errorMessage } from '../core/internal/error-message';

/** The distribution every traced request feeds, in milliseconds. */
export const SERVER_DURATION_METRIC = 'http.server.duration';

// Global, so an ESM and a CJS copy of isometer in one process see each other's requests.
const REQUEST_STATE = Symbol.for('isometer.incoming-request');

/** What isometer keeps on an incoming request it traces. */
export interface IncomingRequestState {
  /** Undefined when a Sentry SDK owns spans: the trace is then only continued, for metrics. */
  readonly span: Span | undefined;
  readonly context: ActiveContext;
  readonly method: string;
  readonly startClock: number;
  /** Reads the framework's route when the response finishes (set by `isometerMiddleware`). */
  routeResolver?: () => string | undefined;
  ended: boolean;
}

type TracedRequest = IncomingMessage & { [REQUEST_STATE]?: IncomingRequestState };

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
  const end = path.search(/[?#]/);
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
  emitter.emit = function boundEmit(this: unknown, ...args: Parameters<typeof emit>) {
    return manager.with(context, () => emit.apply(this, args));
  } as typeof emit;
}

function startRequest(request: IncomingMessage, response: ServerResponse): IncomingRequestState {
  const method = typeof request.method === 'string' ? request.method.toUpperCase() : 'GET';
  const path = pathOf(request.url);
  const manager = getContextManager();
  const sentryOwnsSpans = isSentryActive();
  let span: Span | undefined;
  const context = continueTrace(request.headers, () => {
    if (sentryOwnsSpans) return manager.active();
    span = startInactiveSpan({
      name: `${method} ${path}`,
      op: 'http.server',
      nameSource: 'url',
      url: typeof request.url === 'string' ? request.url : undefined,
      attributes: { 'http.request.method': method, 'url.path': path, 'server.address': hostnameOf(request.headers.host) },
    });
    return withActiveSpan(span, () => manager.active());
  }) as ActiveContext;
  const state: IncomingRequestState = { span, context, method, startClock: performance.now(), ended: false };
  Object.defineProperty(request, REQUEST_STATE, { value: state, configurable: true });
  bindEmitter(request, context);
  bindEmitter(response, context);
  const onDone = (): void => finishRequest(state, response);
  response.once('finish', onDone);
  response.once('close', onDone);
  return state;
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
    if (span) {
      if (route) span.updateName(`${state.method} ${route}`, 'route').setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus('error', `HTTP ${statusCode}`);
      else if (!response.writableFinished) span.setStatus('error', 'the connection closed before the response was sent');
      span.end();
    }
    // Low cardinality on purpose: the route when a framework names it, never the raw path.
    const attributes: Record<string, string | number> = { 'http.request.method': state.method, 'http.response.status_code': statusCode };
    if (route) attributes['http.route'] = route;
    getContextManager().with(state.context, () => metrics.distribution(SERVER_DURATION_METRIC, durationMs, { unit: 'millisecond', attributes }));
  } catch (error) {
    debugLogger.internalError('http.server: ending the request span', error);
  }
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
 * response finishes or the connection closes; a 5xx marks it failed. Each request also feeds the
 * `http.server.duration` distribution. A request already traced (by the server instrumentation
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
