import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { IntegrationClient } from '../core/sdk/integration';
import { debugLogger } from '../core/internal/debug-logger';
import { metrics } from '../core/metrics/metrics';
import { withActiveSpan } from '../core/trace/start-span';
import { getPageLoadSpan } from './page-load-trace';
import { errorMessage } from '../core/internal/error-message';

/** The Core Web Vitals and the two loading metrics isometer reports. */
export type WebVitalName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB';

/** Options of the `webVitals` init option. */
export interface WebVitalsOptions {
  /** Which vitals to report. Default: all five. */
  metrics?: WebVitalName[];
  /** The `route` attribute; default `location.pathname`. Map ids out of paths here to keep cardinality low. */
  route?: () => string;
  /** Report every change instead of the final value at page hide (web-vitals' `reportAllChanges`). Default false. */
  reportAllChanges?: boolean;
  /**
   * Add what caused each value, from web-vitals' attribution build (loaded only when asked):
   * `element` (LCP, INP target, CLS largest shift target) and `interaction_type` (INP). Default false.
   */
  attribution?: boolean;
}

type Reporter = (callback: (metric: Metric) => void, options?: { reportAllChanges?: boolean }) => void;

/** The attribution fields kept as attributes: selectors and types, never URLs or text. */
function attributionAttributes(metric: Metric): Record<string, string> {
  const attribution = (metric as { attribution?: Record<string, unknown> }).attribution;
  if (!attribution) return {};
  const element = attribution.target ?? attribution.interactionTarget ?? attribution.largestShiftTarget;
  const attributes: Record<string, string> = {};
  if (typeof element === 'string' && element) attributes.element = element;
  if (typeof attribution.interactionType === 'string') attributes.interaction_type = attribution.interactionType;
  return attributes;
}

const REPORTERS: Record<WebVitalName, Reporter> = {
  LCP: onLCP,
  INP: onINP,
  CLS: onCLS,
  FCP: onFCP,
  TTFB: onTTFB,
};

/**
 * Reports LCP, INP, CLS, FCP and TTFB as distributions named `web_vitals.<name>` (milliseconds;
 * CLS unitless), with `rating`, `navigation_type` and `route` attributes, linked to the
 * page-load trace. web-vitals reports the final values when the page is hidden, just before
 * isometer's own page-hide flush, so they leave with it. Each metric id is reported once.
 *
 * @example
 * init({ webVitals: { metrics: ['LCP', 'INP', 'CLS'], route: () => router.currentRoute } });
 */
export function reportWebVitals(client: IntegrationClient, options: WebVitalsOptions = {}): void {
  // Workers and server rendering have no page to measure.
  if (typeof document === 'undefined' || typeof location === 'undefined') return;
  const seen = new Set<string>();
  const names = Array.isArray(options.metrics) ? options.metrics.filter((name) => name in REPORTERS) : (Object.keys(REPORTERS) as WebVitalName[]);
  const route = typeof options.route === 'function' ? options.route : () => location.pathname;
  const record = (metric: Metric): void => {
    if (!client.isActive || (seen.has(metric.id) && !options.reportAllChanges)) return;
    seen.add(metric.id);
    let path: string;
    try {
      path = String(route());
    } catch (error) {
      debugLogger.warnOnce('webVitals:route', `webVitals.route threw (${errorMessage(error)}); location.pathname was used.`);
      path = location.pathname;
    }
    const attributes = { rating: metric.rating, navigation_type: metric.navigationType, route: path, ...attributionAttributes(metric) };
    const unit = metric.name === 'CLS' ? '' : 'millisecond';
    const span = getPageLoadSpan();
    const recordIt = (): void => metrics.distribution(`web_vitals.${metric.name.toLowerCase()}`, metric.value, { unit, attributes });
    if (span) withActiveSpan(span, recordIt);
    else recordIt();
  };
  const register = (reporters: Record<WebVitalName, Reporter>): void => {
    for (const name of names) {
      try {
        reporters[name](record, { reportAllChanges: options.reportAllChanges === true });
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
