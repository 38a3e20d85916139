/**
 * The bundler variant: isometer imported as an app would import it, bundled by esbuild at
 * server start (node-demo/build-bundle.mjs) into /bundled/app.js.
 */
import { browserTracingIntegration, flush, getDroppedCounts, getPageLoadSpan, init, metrics, startInactiveSpan, startSpan, webVitalsIntegration, withActiveSpan } from 'isometer/browser';
import { otlpExporter } from 'isometer/otlp';
import * as Sentry from '@sentry/browser';
import { startDemo } from '../shared/app.js';
import { rateFromLocation, readDemoConfig } from '../shared/config.js';

const config: { dsn?: string; environment?: string } = readDemoConfig();

init({
  serviceName: 'browser-demo-bundled',
  dsn: config.dsn,
  // isometer never imports Sentry itself: a page that reports to Sentry hands it its SDK.
  sentry: config.dsn ? Sentry : undefined,
  environment: config.environment,
  tracesSampleRate: rateFromLocation(),
  flushIntervalMs: 2000,
  // In the bundler entry, tracing (page-load trace, fetch/XHR propagation) and web vitals are
  // integrations, so a page that only counts ships only the metrics code.
  integrations: [browserTracingIntegration(), webVitalsIntegration()],
  // Made before init runs, so its requests use the page's own fetch, untraced.
  exporters: [otlpExporter({ endpoint: `${location.origin}/collect` })],
});

startDemo({ metrics, startSpan, startInactiveSpan, withActiveSpan, flush, getPageLoadSpan, getDroppedCounts }, { variant: 'bundled', label: 'bundled', otlpAvailable: true });
