/**
 * The stitched trace's API: a plain `node:http` server on @sentry/node (SENTRY_DSN points at the
 * viewer), which continues the page's trace from `sentry-trace`/`baggage` and calls the worker
 * (WORKER_URL), passing the trace on with `traceparent` as well. CommonJS, so Sentry's
 * instrumentation is in place before `http` is loaded. Prints `listening <port>`.
 */
const Sentry = require('@sentry/node');

Sentry.init({ dsn: process.env.SENTRY_DSN, tracesSampleRate: 1, propagateTraceparent: true, tracePropagationTargets: [/^http:\/\/127\.0\.0\.1/] });

const http = require('node:http');

const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'sentry-trace, baggage, traceparent, tracestate, content-type' };

const server = http.createServer((req, res) => {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, CORS);
    res.end();
    return;
  }
  req.resume();
  const upstream = http.request(`${process.env.WORKER_URL}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (answer) => {
    answer.resume();
    answer.on('end', () => {
      res.writeHead(200, { ...CORS, 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, worker: answer.statusCode }));
    });
  });
  upstream.on('error', (error) => {
    res.writeHead(502, CORS);
    res.end(String(error));
  });
  upstream.end('{"job":"receipt"}');
});

server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => {
  Sentry.flush(2000).then(() => process.exit(0));
});
