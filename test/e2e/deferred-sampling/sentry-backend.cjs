// A backend on real @sentry/node at 50 %, reporting to a loopback ingest (SENTRY_DSN). Driven
// over IPC: it reports { type: 'ready', port }, and on { type: 'finish' } flushes Sentry.
'use strict';
const Sentry = require('@sentry/node');

Sentry.init({
  dsn: process.env.SENTRY_DSN,
  tracesSampleRate: 0.5,
  // Transactions carry the whole local trace in one envelope item.
  traceLifecycle: 'static',
  integrations: [Sentry.httpIntegration({ ignoreIncomingRequests: (_url, request) => request.method === 'OPTIONS' })],
});

const http = require('node:http');

const server = http.createServer((request, response) => {
  response.setHeader('access-control-allow-origin', '*');
  response.setHeader('access-control-allow-headers', 'sentry-trace, baggage, traceparent, tracestate');
  response.setHeader('access-control-max-age', '600');
  if (request.method === 'OPTIONS') return response.writeHead(204).end();
  const span = Sentry.getActiveSpan();
  response.setHeader('content-type', 'application/json');
  response.end(
    JSON.stringify({
      backend: 'sentry',
      traceId: span && span.spanContext().traceId,
      sampled: Boolean(span && (span.spanContext().traceFlags & 1) === 1),
      sentryTrace: request.headers['sentry-trace'],
      baggage: request.headers.baggage,
    }),
  );
});

server.listen(0, '127.0.0.1', () => process.send({ type: 'ready', port: server.address().port }));

process.on('message', async (message) => {
  if (message.type !== 'finish') return;
  await Sentry.flush(10000);
  process.send({ type: 'flushed' });
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
