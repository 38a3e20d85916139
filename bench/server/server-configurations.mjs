/**
 * The libraries the server bench compares, each set up as a service would run it with every
 * trace sampled (or none, for isometer at rate 0), sending over loopback to the parent's
 * collector. `wrapHandler` is the library's request instrumentation when it has none of its own.
 */
import { importBuilt } from '../peers/isometer.mjs';

async function isometerWithRate(tracesSampleRate, { collectorUrl }) {
  const isometer = await importBuilt('isometer/node');
  const { otlpExporter } = await importBuilt('isometer/otlp');
  const client = isometer.init({ serviceName: 'bench-server', tracesSampleRate, exporters: [otlpExporter({ endpoint: collectorUrl })] });
  if (!client?.isActive) throw new Error('isometer init() returned an inactive client');
  return { wrapHandler: (handler) => handler, flush: () => isometer.flush(), stop: () => isometer.close() };
}

export const CONFIGURATIONS = {
  /** No SDK at all: what the request costs by itself. */
  bare: {
    label: 'no SDK',
    start: async () => ({ wrapHandler: (handler) => handler, flush: async () => true }),
  },
  /**
   * isometer's core entry (no tracing, no patches) with the handler recording the same
   * `http.server.request.duration` distribution the instrumentation records: the baseline the
   * instrumentation's added cost is measured against.
   */
  'isometer-metrics-only': {
    label: 'isometer, metrics only',
    async start({ collectorUrl }) {
      const isometer = await importBuilt('isometer');
      const { otlpExporter } = await importBuilt('isometer/otlp');
      isometer.init({ serviceName: 'bench-server', exporters: [otlpExporter({ endpoint: collectorUrl })] });
      const { metrics } = isometer;
      return {
        wrapHandler: (handler) => (request, response) => {
          const start = performance.now();
          response.once('finish', () => {
            metrics.distribution('http.server.request.duration', (performance.now() - start) / 1000, {
              unit: 'second',
              attributes: { 'http.request.method': request.method, 'http.response.status_code': response.statusCode, 'url.scheme': 'http' },
            });
          });
          handler(request, response);
        },
        flush: () => isometer.flush(),
        stop: () => isometer.close(),
      };
    },
  },
  'isometer-rate-0': { label: 'isometer/node, tracesSampleRate 0', start: (options) => isometerWithRate(0, options) },
  'isometer-rate-1': { label: 'isometer/node, tracesSampleRate 1', start: (options) => isometerWithRate(1, options) },
  /**
   * OpenTelemetry's Node tracer with the async context manager, a batch span processor over
   * OTLP/HTTP JSON, and a MeterProvider exporting OTLP/HTTP JSON metrics on the same 10 s interval
   * as isometer. `@opentelemetry/instrumentation-http` is not installed here, so the handler does
   * by hand what that instrumentation does for a request: extract the caller's context, start a
   * SERVER span with the semconv attributes, bind the request and response emitters to its
   * context, run the handler in it, and on `finish` set the status code, end the span and record
   * `http.server.request.duration` in seconds. Its header capture, hooks and option checks are
   * left out, so OpenTelemetry's figure is, if anything, low.
   */
  opentelemetry: {
    label: 'OpenTelemetry, sampler always on (*)',
    async start({ collectorUrl }) {
      const api = await import('@opentelemetry/api');
      const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
      const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      const { OTLPMetricExporter } = await import('@opentelemetry/exporter-metrics-otlp-http');
      const { MeterProvider, PeriodicExportingMetricReader } = await import('@opentelemetry/sdk-metrics');
      const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` }))] });
      provider.register({ contextManager: new AsyncLocalStorageContextManager() });
      const reader = new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${collectorUrl}/v1/metrics` }), exportIntervalMillis: 10_000 });
      const meterProvider = new MeterProvider({ readers: [reader] });
      const duration = meterProvider.getMeter('bench-server').createHistogram('http.server.request.duration', { unit: 's' });
      const tracer = api.trace.getTracer('bench-server');
      return {
        wrapHandler: (handler) => (request, response) => {
          const start = performance.now();
          const parent = api.propagation.extract(api.ROOT_CONTEXT, request.headers);
          const host = request.headers.host?.replace(/:\d+$/, '');
          const span = tracer.startSpan(
            request.method,
            { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': request.method, 'url.path': request.url, 'url.scheme': 'http', 'server.address': host } },
            parent,
          );
          const active = api.trace.setSpan(parent, span);
          api.context.bind(active, request);
          api.context.bind(active, response);
          response.once('finish', () => {
            span.setAttribute('http.response.status_code', response.statusCode);
            span.end();
            duration.record((performance.now() - start) / 1000, {
              'http.request.method': request.method,
              'http.response.status_code': response.statusCode,
              'url.scheme': 'http',
              'server.address': host,
            });
          });
          api.context.with(active, () => handler(request, response));
        },
        flush: async () => {
          await Promise.all([provider.forceFlush(), meterProvider.forceFlush()]);
          return true;
        },
        stop: () => Promise.all([provider.shutdown(), meterProvider.shutdown()]),
      };
    },
  },
  /** `@sentry/node` as an app initialises it: its own http integration makes the server spans. */
  sentry: {
    label: '@sentry/node 11, tracesSampleRate 1',
    async start({ collectorUrl }) {
      const Sentry = await import('@sentry/node');
      const url = new URL(collectorUrl);
      Sentry.init({ dsn: `http://0123456789abcdef0123456789abcdef@${url.host}/1`, tracesSampleRate: 1, release: 'bench@1.0.0' });
      return { wrapHandler: (handler) => handler, flush: () => Sentry.flush(10_000), stop: () => Sentry.close(2000) };
    },
  },
};
