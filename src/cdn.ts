import type { BrowserClient } from './browser/browser-client';
import { browserTracingIntegration } from './browser/browser-tracing-integration';
import { lazyExporter } from './browser/lazy-exporter';
import { startFront } from './browser/start-front';
import { webVitalsIntegration } from './browser/web-vitals-integration';
import type { ConsoleExporterOptions } from './core/export/console-exporter';
import type { SentryExporterOptions } from './core/sentry/sentry-exporter';
import type { Exporter } from './core/export/exporter';
import type { MemoryExporter, MemoryExporterOptions } from './core/export/memory-exporter';
import type { OtlpExporterOptions } from './core/export/otlp/otlp-exporter';
import type { IsometerOptions } from './core/sdk/options';

/**
 * The script tag (dist/isometer.min.js, `window.Isometer`): the browser entry's front — metrics,
 * tracing, integrations, lifecycle — in one classic script. The engine (aggregation, exporters,
 * delivery), web vitals and the Sentry glue are ES modules next to it (dist/isometer.*.min.js),
 * which it imports when `init` runs (a classic script's `import()` resolves against the script's
 * own URL). Not here: the engine-side `Client`, `ExponentialHistogram` and `createPageTransport`,
 * and the recorders (`recordApiCall`, `processorMetrics`, the StatsD facade), which are the
 * package's (`isometer/browser`).
 */

// Setup and lifecycle
export { browserTracingIntegration, webVitalsIntegration };
export { getPageLoadSpan } from './browser/page-load-trace';
export { flush, close, getDroppedCounts } from './core/sdk/lifecycle';
export { getClient } from './core/sdk/get-client';
export { isIntegration } from './core/sdk/integration';
export { SDK_NAME, SDK_VERSION } from './core/internal/version';

// Metrics
export { metrics } from './core/metrics/metrics';
export { withAttributes } from './core/metrics/with-attributes';

// Tracing
export { startSpan, startInactiveSpan, withActiveSpan, getActiveSpan } from './core/trace/start-span';
export { traced } from './core/trace/traced';
export { getTraceHeaders, continueTrace } from './core/trace/trace-headers';
export { suppressTracing, isTracingSuppressed } from './core/trace/suppress-tracing';

/** The companion file, next to this script (see tsup.config.ts). */
const loadEngine = (): Promise<typeof import('./browser/script-tag-engine')> => import('./browser/script-tag-engine');

/**
 * The script tag's `init`: the browser `init` with tracing and web vitals on unless
 * `integrations` says otherwise (pass `[]` for metrics only).
 *
 * @example
 * <script src="https://unpkg.com/isometer/dist/isometer.min.js"></script>
 * <script>Isometer.init({ tracesSampleRate: 0.2 }); Isometer.metrics.count('page.view');</script>
 */
export function init(options?: IsometerOptions): BrowserClient {
  const given = typeof options === 'object' && options !== null ? options : undefined;
  const withDefaults = given?.integrations !== undefined ? given : { ...given, integrations: [browserTracingIntegration(), webVitalsIntegration()] };
  return startFront(withDefaults, loadEngine);
}

/**
 * The OTLP/HTTP exporter of `isometer/otlp`, its code loaded with the engine.
 *
 * @example
 * Isometer.init({ exporters: [Isometer.otlpExporter({ endpoint: 'https://collector.example.com' })] });
 */
export function otlpExporter(options?: OtlpExporterOptions): Exporter {
  return lazyExporter('otlp', () => loadEngine().then((engine) => engine.otlpExporter(options)));
}

/**
 * The console exporter, its code loaded with the engine.
 *
 * @example
 * Isometer.init({ exporters: [Isometer.consoleExporter()] });
 */
export function consoleExporter(options?: ConsoleExporterOptions): Exporter {
  return lazyExporter('console', () => loadEngine().then((engine) => engine.consoleExporter(options)));
}

/**
 * The memory exporter (what QA tests read), its code loaded with the engine. What it holds comes
 * from the engine's exports, so until the engine arrived it reads empty.
 *
 * @example
 * const memory = Isometer.memoryExporter();
 * await Isometer.flush();
 * memory.total('checkout.completed'); // → 1
 */
export function memoryExporter(options?: MemoryExporterOptions): MemoryExporter {
  let real: MemoryExporter | undefined;
  const exporter = lazyExporter('memory', () => loadEngine().then((engine) => (real = engine.memoryExporter(options))));
  return {
    ...exporter,
    get batches() {
      return real?.batches ?? [];
    },
    get spans() {
      return real?.spans ?? [];
    },
    points: () => real?.points() ?? [],
    find: (name, filter) => real?.find(name, filter) ?? [],
    total: (name, attributes) => real?.total(name, attributes) ?? 0,
    clear: () => real?.clear(),
  };
}

/**
 * Metrics to the page's Sentry (`window.Sentry`), its code loaded with the engine: see
 * `sentryExporter` of `isometer/browser`. `init({ dsn })` adds it for you.
 *
 * @example
 * Isometer.init({ exporters: [Isometer.sentryExporter()] });
 */
export function sentryExporter(options?: SentryExporterOptions): Exporter {
  return lazyExporter('sentry', () => loadEngine().then((engine) => engine.sentryExporter(options)));
}
