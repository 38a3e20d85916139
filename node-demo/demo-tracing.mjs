/**
 * How the demo's `node:http` server is traced, through isometer's own options:
 *
 * 1. Telemetry and tooling routes (the pages' tunnel to the viewer, the redirect to it, static
 *    files, /health) are left untraced with `ignoreIncomingRequests`. Otherwise every batch the
 *    page sends would be a trace of its own, and the viewer would mostly watch itself.
 * 2. A page request's `?rate=` is the sampling rate of the trace it starts: `tracesSampler`
 *    reads it from the sampling context's `url` (the incoming request's URL), the server renders
 *    the decision into `<meta>`, and the page load continues it.
 */

/**
 * The `tracesSampler` for `init`: a page request with `?rate=` samples at that rate; every other
 * local root keeps its caller's decision, else samples everything (the demo's default, so every
 * API call made outside a page shows up).
 *
 * @example
 * init({ tracesSampleRate: 1, tracesSampler: createPageRateSampler(isPagePath) });
 */
export function createPageRateSampler(isPage) {
  return (context) => {
    const url = context.url === undefined ? undefined : new URL(context.url, 'http://demo.invalid');
    const rate = url !== undefined && isPage(url.pathname) ? sampleRateParam(url.searchParams) : undefined;
    return context.inheritOrSampleWith(rate ?? 1);
  };
}

/** `?rate=` as a number in [0, 1], or undefined when absent or not one. */
export function sampleRateParam(searchParams) {
  const raw = searchParams.get('rate');
  if (raw === null || raw.trim() === '') return undefined;
  const rate = Number(raw);
  return Number.isFinite(rate) && rate >= 0 && rate <= 1 ? rate : undefined;
}

/** The `ignoreIncomingRequests` for `init`: everything but the shop's own work (`isTraced`) stays untraced. */
export function createIgnoreUntraced(isTraced) {
  return (url) => !isTraced(new URL(url, 'http://demo.invalid').pathname);
}
