// A backend on isometer's node entry (the built package), for e2e scenarios: its rate and
// unsampledPropagation come from ISOMETER_SAMPLE_RATE and ISOMETER_UNSAMPLED_PROPAGATION. Each
// GET /work answers with its span's trace id and decision and the trace headers it received.
// Driven over IPC: it reports { type: 'ready', port }, and on { type: 'finish' } flushes and
// reports its spans.
import http from 'node:http';
import { flush, getActiveSpan, init, memoryExporter } from '../../../dist/node/index.js';

const memory = memoryExporter();
init({
  tracesSampleRate: Number(process.env.ISOMETER_SAMPLE_RATE ?? '0.5'),
  unsampledPropagation: process.env.ISOMETER_UNSAMPLED_PROPAGATION ?? 'decided',
  exporters: [memory],
  flushIntervalMs: 0,
  ignoreIncomingRequests: (_url, method) => method === 'OPTIONS',
});

const server = http.createServer((request, response) => {
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('access-control-allow-headers', 'sentry-trace, baggage, traceparent, tracestate');
  response.setHeader('access-control-max-age', '600');
  if (request.method === 'OPTIONS') return response.writeHead(204).end();
  const span = getActiveSpan();
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify({ backend: 'isometer', traceId: span?.traceId, sampled: span?.sampled === true, sentryTrace: request.headers['sentry-trace'], baggage: request.headers.baggage }));
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));

process.on('message', async (message) => {
  if (message.type !== 'finish') return;
  await flush(10_000);
  process.send({ type: 'spans', spans: memory.spans.map(({ traceId, spanId, parentSpanId, name, op, sampled }) => ({ traceId, spanId, parentSpanId, name, op, sampled })) });
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
