/**
 * The loopback server of the browser case: serves the page and each library's bundle, answers
 * every ingest request with 200, and counts what each library delivered — OTLP data points
 * (isometer, OpenTelemetry), `trace_metric` items in Sentry envelopes, PostHog events — and in
 * how many requests.
 */
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const { opentelemetry } = require('otlp-proto-definitions/build/src/generated/root.js');
const MetricsRequest = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/** OTLP/HTTP in either encoding: protobuf decoded with the published definitions, JSON as JSON. */
function countOtlpPoints(bytes, contentType) {
  let points = 0;
  const message = contentType?.includes('protobuf') ? MetricsRequest.decode(bytes) : JSON.parse(bytes.toString('utf8'));
  for (const resource of message.resourceMetrics ?? [])
    for (const scope of resource.scopeMetrics ?? [])
      for (const metric of scope.metrics ?? []) points += (metric.sum ?? metric.gauge ?? metric.histogram ?? metric.exponentialHistogram)?.dataPoints?.length ?? 0;
  return points;
}

function countSentryMetrics(bytes) {
  const lines = bytes.toString('utf8').split('\n');
  let items = 0;
  // Envelope: a header line, then (item header, payload) pairs.
  for (let i = 1; i < lines.length; i += 2) {
    if (!lines[i]) continue;
    const header = JSON.parse(lines[i]);
    if (header.type === 'trace_metric') items += header.item_count ?? 1;
  }
  return items;
}

function countPostHogEvents(bytes, contentType) {
  const body = bytes.toString('utf8');
  let text = body;
  if (contentType?.includes('x-www-form-urlencoded')) text = Buffer.from(new URLSearchParams(body).get('data') ?? '', 'base64').toString('utf8');
  const parsed = JSON.parse(text);
  const events = Array.isArray(parsed) ? parsed : (parsed.batch ?? [parsed]);
  return events.filter((event) => event.event === 'bench.requests').length;
}

const COUNTERS = [
  ['/isometer/v1/metrics', 'isometer', countOtlpPoints],
  ['/isometer-one-request/v1/metrics', 'isometer-one-request', countOtlpPoints],
  ['/opentelemetry/v1/metrics', 'opentelemetry', countOtlpPoints],
  ['/api/1/envelope/', 'sentry', countSentryMetrics],
  ['/posthog/e/', 'posthog', countPostHogEvents],
  ['/posthog/i/v0/e/', 'posthog', countPostHogEvents],
  ['/posthog/batch/', 'posthog', countPostHogEvents],
];

/** @param bundles Map of library → bundled page script */
export async function startBenchServer(bundles) {
  const delivered = new Map();
  const requests = new Map();
  const errors = [];
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url, 'http://127.0.0.1');
      const page = url.pathname.match(/^\/page\/([a-z-]+)$/);
      if (page && bundles.has(page[1])) {
        response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>${page[1]}</title><script src="/bundle/${page[1]}.js"></script>`);
        return;
      }
      const bundle = url.pathname.match(/^\/bundle\/([a-z-]+)\.js$/);
      if (bundle && bundles.has(bundle[1])) {
        response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundles.get(bundle[1]));
        return;
      }
      const counter = COUNTERS.find(([path]) => url.pathname === path);
      if (counter) {
        try {
          let body = Buffer.concat(chunks);
          if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
          const count = counter[2](body, request.headers['content-type']);
          delivered.set(counter[1], (delivered.get(counter[1]) ?? 0) + count);
          if (count > 0) requests.set(counter[1], (requests.get(counter[1]) ?? 0) + 1);
        } catch (error) {
          errors.push(`${counter[1]}: ${error.message}`);
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    delivered: (library) => delivered.get(library) ?? 0,
    /** Requests that carried at least one of the library's points or events. */
    requests: (library) => requests.get(library) ?? 0,
    reset: () => {
      delivered.clear();
      requests.clear();
    },
    errors,
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
