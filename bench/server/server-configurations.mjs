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
   * OpenTelemetry's Node tracer with the async context manager and a batch span processor over
   * OTLP/HTTP JSON. `@opentelemetry/instrumentation-http` is not installed here, so the server
   * span is made in the handler the way that instrumentation makes it (extract, start a SERVER
   * span, run the handler in its context, end on `finish`); that leaves out its emitter binding
   * and its metrics, so OpenTelemetry's figure is a lower bound.
   */
  opentelemetry: {
    label: 'OpenTelemetry (sdk-trace-node, manual server span)',
    async start({ collectorUrl }) {
      const api = await import('@opentelemetry/api');
      const { NodeTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-node');
      const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
      const provider = new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${collectorUrl}/v1/traces` }))] });
      provider.register({ contextManager: new AsyncLocalStorageContextManager() });
      const tracer = api.trace.getTracer('bench-server');
      return {
        wrapHandler: (handler) => (request, response) => {
          const parent = api.propagation.extract(api.ROOT_CONTEXT, request.headers);
          const span = tracer.startSpan(
            `${request.method}`,
            {
              kind: api.SpanKind.SERVER,
              attributes: { 'http.request.method': request.method, 'url.path': request.url, 'url.scheme': 'http', 'server.address': request.headers.host },
            },
            parent,
          );
          response.once('finish', () => {
            span.setAttribute('http.response.status_code', response.statusCode);
            span.end();
          });
          api.context.with(api.trace.setSpan(parent, span), () => handler(request, response));
        },
        flush: async () => {
          await provider.forceFlush();
          return true;
        },
        stop: () => provider.shutdown(),
      };
    },
  },
  /** `@sentry/node` as an app initialises it: its own http integration makes the server spans. */
  sentry: {
    label: '@sentry/node, tracesSampleRate 1',
    async start({ collectorUrl }) {
      const Sentry = await import('@sentry/node');
      const url = new URL(collectorUrl);
      Sentry.init({ dsn: `http://0123456789abcdef0123456789abcdef@${url.host}/1`, tracesSampleRate: 1, release: 'bench@1.0.0' });
      return { wrapHandler: (handler) => handler, flush: () => Sentry.flush(10_000), stop: () => Sentry.close(2000) };
    },
  },
};
