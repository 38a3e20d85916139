import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { IntegrationClient } from '../core/sdk/integration';
import { debugLogger } from '../core/internal/debug-logger';
import { errorMessage } from '../core/internal/error-message';
import { metrics } from '../core/metrics/metrics';
import type { Span } from '../core/trace/span';
import { startInactiveSpan, withActiveSpan } from '../core/trace/start-span';
import { getPageLoadSpan } from './page-load-trace';
import { templateRoute } from './web-vital-route';
import { PendingVitals, takeAbandonedVitals, type VitalValue } from './web-vitals-pending';

/** The Core Web Vitals and the two loading metrics isometer reports. */
export type WebVitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/** Options of `webVitalsIntegration`. */
export interface WebVitalsOptions {
  /** Which vitals to report, in either case (`['lcp', 'inp']` or `['LCP', 'INP']`). Default: all five. */
  metrics?: Array<WebVitalName | Lowercase<WebVitalName>>;
  /**
   * The `route` attribute for the path a value belongs to (the page's, or a soft navigation's).
   * Pass your router's template (`(path) => router.match(path)?.pattern`). Default: the path with
   * numeric, UUID-like and long hex segments as `:id`.
   */
  route?: (pathname: string) => string;
  /** Report every change instead of one final value per page load (web-vitals' `reportAllChanges`). Default false. */
  reportAllChanges?: boolean;
  /**
   * Load web-vitals' attribution build and put what caused a poor value (`element`,
   * `interaction_type`) on a `web_vital` span, which that point's exemplar links to. Never a
   * metric attribute: the series are the same with it on. Default false.
   */
  attribution?: boolean;
  /**
   * Also report each soft navigation (a single-page app's route change, where the browser
   * detects them: Chromium 151+) with `navigation_type: soft-navigation`. Default true.
   */
  softNavigations?: boolean;
}

type Reporter = (callback: (metric: Metric) => void, options?: { reportAllChanges?: boolean; reportSoftNavs?: boolean }) => void;

const REPORTERS: Record<WebVitalName, Reporter> = { LCP: onLCP, INP: onINP, CLS: onCLS, FCP: onFCP, TTFB: onTTFB };

/** web-vitals reports these again (same id) each time the page is hidden; the others once, final. */
const REPORTED_AGAIN = /* @__PURE__ */ new Set(['INP', 'CLS']);

/**
 * Reports LCP, INP, CLS, FCP and TTFB as distributions named `browser.web_vital.<name>`
 * (milliseconds; CLS unitless) with `rating`, `navigation_type` and `route`, one final value per
 * page load: LCP, FCP and TTFB when web-vitals reports them; INP and CLS as they stand when the
 * page is finally left (`pagehide`), the value CrUX uses, kept per id until then. Where the
 * browser exposes soft navigations, each gets its own values and span. Values are recorded in the
 * page-load span (a poor one in a `web_vital` child span carrying its attribution), so exemplars
 * link each point to its trace.
 *
 * @example
 * reportWebVitals(client, { route: (path) => router.resolve(path).pattern });
 */
export function reportWebVitals(client: IntegrationClient, options: WebVitalsOptions = {}): void {
  // Workers and server rendering have no page to measure.
  if (typeof document === 'undefined' || typeof location === 'undefined' || typeof addEventListener !== 'function') return;
  const names = Array.isArray(options.metrics) ? chosenVitals(options.metrics) : (Object.keys(REPORTERS) as WebVitalName[]);
  const pending = new PendingVitals();
  const softSpans = new Map<number, Span>();
  const routeOf = routeReader(options.route);

  const spanFor = (value: VitalValue): Span | undefined => {
    if (value.navigationType !== 'soft-navigation') return getPageLoadSpan();
    let span = softSpans.get(value.navigationId);
    if (!span) {
      // In the page's trace, so the soft navigation's vitals stay with the page that made it.
      const options = { name: value.route, op: 'navigation.soft', attributes: { 'navigation.id': value.navigationId, route: value.route } };
      const pageLoad = getPageLoadSpan();
      span = pageLoad ? withActiveSpan(pageLoad, () => startInactiveSpan(options)) : startInactiveSpan(options);
      softSpans.set(value.navigationId, span);
    }
    return span;
  };
  const emit = (value: VitalValue, parent: Span | undefined): void => {
    try {
      const name = `browser.web_vital.${value.name.toLowerCase()}`;
      const record = (): void =>
        metrics.distribution(name, value.value, { unit: value.name === 'CLS' ? '' : 'millisecond', attributes: { rating: value.rating, navigation_type: value.navigationType, route: value.route } });
      if (value.rating === 'poor' && value.attribution && parent) {
        // What caused a poor value goes to a span the point's exemplar links to, not to a series.
        const cause = withActiveSpan(parent, () =>
          startInactiveSpan({ name: `${value.name} ${value.route}`, op: 'web_vital', attributes: { [`web_vital.${value.name.toLowerCase()}`]: value.value, ...value.attribution } }),
        );
        withActiveSpan(cause, record);
        cause.end();
      } else if (parent) withActiveSpan(parent, record);
      else record();
    } catch (error) {
      debugLogger.internalError('web vitals', error);
    }
  };
  const finish = (): void => {
    if (!client.isActive) return;
    const values = pending.take();
    for (const value of values) emit(value, spanFor(value));
    for (const span of softSpans.values()) span.end();
    softSpans.clear();
    // isometer's own pagehide flush already ran: send these after it.
    if (values.length > 0) void client.flush();
  };
  const onHidden = (): void => {
    if (document.visibilityState === 'hidden') pending.save();
  };

  const onMetric = (metric: Metric): void => {
    if (!client.isActive) return;
    const value = vitalValue(metric, routeOf);
    if (options.reportAllChanges || !REPORTED_AGAIN.has(metric.name)) emit(value, spanFor(value));
    else pending.set(value);
  };

  try {
    // A previous page load in this tab that was discarded while hidden never sent its last values.
    for (const value of takeAbandonedVitals()) emit(value, undefined);
    document.addEventListener('visibilitychange', onHidden, true);
    addEventListener('pagehide', finish, true);
    client.onClose(() => {
      document.removeEventListener('visibilitychange', onHidden, true);
      removeEventListener('pagehide', finish, true);
    });
  } catch (error) {
    debugLogger.internalError('web vitals: page listeners', error);
  }

  const register = (reporters: Record<WebVitalName, Reporter>): void => {
    for (const name of names) {
      try {
        reporters[name](onMetric, { reportAllChanges: options.reportAllChanges === true, reportSoftNavs: options.softNavigations !== false });
      } catch (error) {
        debugLogger.internalError(`web vitals: ${name}`, error);
      }
    }
  };
  if (!options.attribution) return register(REPORTERS);
  import('web-vitals/attribution').then(
    (withAttribution) =>
      register({ LCP: withAttribution.onLCP, INP: withAttribution.onINP, CLS: withAttribution.onCLS, FCP: withAttribution.onFCP, TTFB: withAttribution.onTTFB } as Record<WebVitalName, Reporter>),
    () => {
      debugLogger.warnOnce(
        'webVitals:attribution',
        'webVitals.attribution: the web-vitals attribution build could not be loaded (the script-tag build does not include it); vitals are reported without attribution.',
      );
      register(REPORTERS);
    },
  );
}

function routeReader(custom: WebVitalsOptions['route']): (pathname: string) => string {
  if (typeof custom !== 'function') return templateRoute;
  return (pathname) => {
    try {
      const route = custom(pathname);
      if (typeof route === 'string' && route !== '') return route;
    } catch (error) {
      debugLogger.warnOnce('webVitals:route', `webVitals route() threw (${errorMessage(error)}); the templated path was used.`);
    }
    return templateRoute(pathname);
  };
}

/** The path a value belongs to: web-vitals 6 names the navigation's URL (a soft one's, too). */
function vitalValue(metric: Metric, routeOf: (pathname: string) => string): VitalValue {
  let pathname = location.pathname;
  const url = (metric as { navigationURL?: unknown }).navigationURL;
  if (typeof url === 'string' && url !== '') {
    try {
      pathname = new URL(url, location.href).pathname;
    } catch {
      // Not a URL: the page's own path.
    }
  }
  return {
    id: metric.id,
    name: metric.name,
    value: metric.value,
    rating: metric.rating,
    navigationType: metric.navigationType,
    navigationId: typeof (metric as { navigationId?: unknown }).navigationId === 'number' ? (metric as { navigationId: number }).navigationId : 0,
    route: routeOf(pathname),
    attribution: attributionOf(metric),
  };
}

/** The attribution fields kept: selectors and interaction types, never URLs or text. */
function attributionOf(metric: Metric): Record<string, string> | undefined {
  const attribution = (metric as { attribution?: Record<string, unknown> }).attribution;
  if (!attribution) return undefined;
  const element = attribution.target ?? attribution.interactionTarget ?? attribution.largestShiftTarget;
  const fields: Record<string, string> = {};
  if (typeof element === 'string' && element) fields.element = element;
  if (typeof attribution.interactionType === 'string') fields.interaction_type = attribution.interactionType;
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** The vitals asked for, in upper case; an unknown name is left out with one warning. */
function chosenVitals(asked: readonly unknown[]): WebVitalName[] {
  const names: WebVitalName[] = [];
  for (const entry of asked) {
    const name = typeof entry === 'string' ? entry.toUpperCase() : '';
    if (name in REPORTERS) names.push(name as WebVitalName);
    else debugLogger.warnOnce(`webVitals:metric:${String(entry)}`, `webVitals metrics: ${String(entry)} is not one of lcp, inp, cls, fcp, ttfb; it was left out.`);
  }
  return names;
}
