/**
 * The demo's `node:http` server, with two twists on isometer's automatic request tracing:
 *
 * 1. Telemetry and tooling routes (the pages' tunnel to the viewer, the redirect to it, static
 *    files, /health) are served outside it. Otherwise every batch the page sends would be a
 *    trace of its own, and the viewer would mostly
 *    watch itself. (isometer has no "ignore these incoming paths" option yet; bypassing the
 *    instrumented `emit` for those paths is the demo's stand-in.)
 * 2. A page request's `?rate=` is the sampling rate of the trace it starts: the server makes the
 *    decision (it renders it into `<meta>`), and the page load continues it.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';

let pendingPageRate;

/**
 * The `tracesSampler` for `init`: a page request with `?rate=` samples at that rate; every other
 * local root keeps its caller's decision, else samples everything (the demo's default, so every
 * API call made outside a page shows up).
 *
 * @example
 * init({ tracesSampleRate: 1, tracesSampler: pageRateSampler });
 */
export function pageRateSampler(context) {
  const rate = pendingPageRate;
  pendingPageRate = undefined;
  return context.inheritOrSampleWith(rate ?? 1);
}

/** `?rate=` as a number in [0, 1], or undefined when absent or not one. */
export function sampleRateParam(searchParams) {
  const raw = searchParams.get('rate');
  if (raw === null || raw.trim() === '') return undefined;
  const rate = Number(raw);
  return Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : undefined;
}

/**
 * @param {(req, res) => void} listener
 * @param {{ isTraced(pathname: string): boolean, isPage(pathname: string): boolean }} routes
 */
export function createTracedHttpServer(listener, routes) {
  const server = http.createServer(listener);
  // An own `emit` runs before the (instrumented) prototype's, for this server only.
  server.emit = function emit(event, ...args) {
    if (event === 'request' && args.length >= 2) {
      const url = new URL(args[0].url ?? '/', 'http://demo.invalid');
      if (!routes.isTraced(url.pathname)) return EventEmitter.prototype.emit.call(this, event, ...args);
      const rate = routes.isPage(url.pathname) ? sampleRateParam(url.searchParams) : undefined;
      // The sampler runs synchronously inside the instrumented emit, before the listener.
      pendingPageRate = rate;
      try {
        return http.Server.prototype.emit.call(this, event, ...args);
      } finally {
        pendingPageRate = undefined;
      }
    }
    return http.Server.prototype.emit.call(this, event, ...args);
  };
  return server;
}
