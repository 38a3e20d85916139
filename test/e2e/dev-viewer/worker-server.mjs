/**
 * The stitched trace's worker: a `node:http` server on the OpenTelemetry Node SDK, which continues
 * the caller's trace from `traceparent` (W3C Trace Context, the SDK's default propagator) and
 * exports its spans over OTLP/HTTP protobuf to the viewer (VIEWER_URL). Prints `listening <port>`.
 */
import http from 'node:http';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

const provider = new NodeTracerProvider({
  resource: defaultResource().merge(resourceFromAttributes({ 'service.name': 'mail-worker' })),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${process.env.VIEWER_URL}/v1/traces` }))],
});
provider.register();
const tracer = trace.getTracer('mail-worker');

const server = http.createServer((req, res) => {
  req.resume();
  const parent = propagation.extract(context.active(), req.headers);
  tracer.startActiveSpan('POST /jobs', { kind: SpanKind.SERVER, attributes: { 'http.route': '/jobs', 'job.kind': 'receipt' } }, parent, (span) => {
    tracer.startActiveSpan('render receipt', (child) => child.end());
    res.end('done');
    span.end();
  });
});

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => {
  provider.shutdown().then(() => process.exit(0));
});
