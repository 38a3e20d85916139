/**
 * The loopback server of the browser case: serves the page and each library's bundle, answers
 * every ingest request with 200, and reads what each library delivered — OTLP data points
 * (isometer, OpenTelemetry), `trace_metric` items in Sentry envelopes, PostHog events — each
 * with its series (route, method, status) and value, and in how many requests.
 */
import * as http from 'node:http';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const { opentelemetry } = require('otlp-proto-definitions/build/src/generated/root.js');
const MetricsRequest = opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;

/** The series a point or event belongs to: its route, method and status, as recorded (series.mjs). */
const seriesOf = (read) => `${read('route')} ${read('method')} ${read('status')}`;

/** OTLP/HTTP in either encoding (protobuf decoded with the published definitions, JSON as JSON): each data point's series and value. */
function otlpPoints(bytes, contentType) {
  const points = [];
  const message = contentType?.includes('protobuf') ? MetricsRequest.decode(bytes) : JSON.parse(bytes.toString('utf8'));
  for (const resource of message.resourceMetrics ?? [])
    for (const scope of resource.scopeMetrics ?? [])
      for (const metric of scope.metrics ?? [])
        for (const point of (metric.sum ?? metric.gauge ?? metric.histogram ?? metric.exponentialHistogram)?.dataPoints ?? []) {
          const attributes = new Map((point.attributes ?? []).map((attribute) => [attribute.key, attribute.value?.stringValue]));
          points.push({ series: seriesOf((key) => attributes.get(key)), value: Number(point.asDouble ?? point.asInt ?? NaN) });
        }
  return points;
}

/** `trace_metric` items of Sentry envelopes: a header line, then (item header, payload) pairs. */
function sentryMetrics(bytes) {
  const lines = bytes.toString('utf8').split('\n');
  const points = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    if (!lines[i] || JSON.parse(lines[i]).type !== 'trace_metric') continue;
    for (const item of JSON.parse(lines[i + 1]).items ?? []) points.push({ series: seriesOf((key) => item.attributes?.[key]?.value), value: item.value });
  }
  return points;
}

/** PostHog events named `bench.requests` (one per recorded call, each counting 1). */
function postHogEvents(bytes, contentType) {
  const body = bytes.toString('utf8');
  let text = body;
  if (contentType?.includes('x-www-form-urlencoded')) text = Buffer.from(new URLSearchParams(body).get('data') ?? '', 'base64').toString('utf8');
  const parsed = JSON.parse(text);
  const events = Array.isArray(parsed) ? parsed : (parsed.batch ?? [parsed]);
  return events.filter((event) => event.event === 'bench.requests').map((event) => ({ series: seriesOf((key) => event.properties?.[key]), value: 1 }));
}

const COUNTERS = [
  ['/isometer/v1/metrics', 'isometer', otlpPoints],
  ['/isometer-early-flush/v1/metrics', 'isometer-early-flush', otlpPoints],
  ['/opentelemetry/v1/metrics', 'opentelemetry', otlpPoints],
  ['/api/1/envelope/', 'sentry', sentryMetrics],
  ['/posthog/e/', 'posthog', postHogEvents],
  ['/posthog/i/v0/e/', 'posthog', postHogEvents],
  ['/posthog/batch/', 'posthog', postHogEvents],
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
          const points = counter[2](body, request.headers['content-type']);
          const seen = delivered.get(counter[1]) ?? { points: 0, series: new Set(), sum: 0 };
          delivered.set(counter[1], seen);
          for (const point of points) {
            seen.points++;
            seen.series.add(point.series);
            seen.sum += point.value;
          }
          if (points.length > 0) requests.set(counter[1], (requests.get(counter[1]) ?? 0) + 1);
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
    /** Points (or events) received for the library. */
    delivered: (library) => delivered.get(library)?.points ?? 0,
    /** What arrived, to check against what was recorded: points, distinct series and the sum of their values. */
    received: (library) => {
      const seen = delivered.get(library);
      return { points: seen?.points ?? 0, series: seen?.series.size ?? 0, sum: seen?.sum ?? 0 };
    },
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
