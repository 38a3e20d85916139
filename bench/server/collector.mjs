/**
 * A loopback ingest for the server bench: OTLP/HTTP in JSON or protobuf (`/v1/traces`,
 * `/v1/metrics`; protobuf decoded with the definitions generated from the published .proto files,
 * as isometer's Node exporter sends by default) and Sentry envelopes (`/api/<project>/envelope/`). It counts server spans (OTLP kind SERVER, Sentry
 * `http.server` transactions or streamed spans) and the values of `http.server.request.duration` it received.
 */
import http from 'node:http';
import { createRequire } from 'node:module';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const proto = require('otlp-proto-definitions/build/src/generated/root.js').opentelemetry.proto.collector;
const TO_OBJECT = { longs: Number, enums: Number, defaults: false };

/** An OTLP request body as the JSON mapping's shape, whichever encoding it came in. */
function otlpBody(request, body, type) {
  if (!String(request.headers['content-type']).includes('protobuf')) return JSON.parse(body.toString('utf8'));
  return type.toObject(type.decode(body), TO_OBJECT);
}

const SERVER_KIND = 2;

export async function startCollector() {
  const counts = { serverSpans: 0, spans: 0, durationValues: 0, cumulativeSeen: 0, requests: 0 };
  const server = http.createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      counts.requests++;
      let body = Buffer.concat(chunks);
      if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      try {
        if (request.url.endsWith('/v1/traces')) countOtlpSpans(otlpBody(request, body, proto.trace.v1.ExportTraceServiceRequest), counts);
        else if (request.url.endsWith('/v1/metrics')) countOtlpDurations(otlpBody(request, body, proto.metrics.v1.ExportMetricsServiceRequest), counts);
        else if (request.url.includes('/envelope')) countEnvelope(body.toString('utf8'), counts);
      } catch (error) {
        counts.parseErrors = (counts.parseErrors ?? 0) + 1;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts,
    reset() {
      for (const key of Object.keys(counts)) counts[key] = 0;
    },
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}

function countOtlpSpans(request, counts) {
  for (const resourceSpans of request.resourceSpans ?? []) {
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        counts.spans++;
        if (span.kind === SERVER_KIND || span.kind === 'SPAN_KIND_SERVER') counts.serverSpans++;
      }
    }
  }
}

/** OTLP `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`. */
const CUMULATIVE = 2;

/**
 * Values of `http.server.request.duration` received: delta exports add up; a cumulative export
 * (OpenTelemetry's default) repeats the running total, so the latest one counts.
 */
function countOtlpDurations(request, counts) {
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      for (const metric of scopeMetrics.metrics ?? []) {
        if (metric.name !== 'http.server.request.duration') continue;
        const data = metric.exponentialHistogram ?? metric.histogram ?? { dataPoints: [] };
        let total = 0;
        for (const point of data.dataPoints) total += Number(point.count);
        if (data.aggregationTemporality === CUMULATIVE) {
          counts.durationValues += Math.max(0, total - counts.cumulativeSeen);
          counts.cumulativeSeen = Math.max(counts.cumulativeSeen, total);
        } else {
          counts.durationValues += total;
        }
      }
    }
  }
}

/** Sentry envelopes: a header line, then item header + payload pairs (`length` when given). */
function countEnvelope(text, counts) {
  let rest = text.slice(text.indexOf('\n') + 1);
  while (rest.length > 0) {
    const headerEnd = rest.indexOf('\n');
    if (headerEnd === -1) break;
    const header = JSON.parse(rest.slice(0, headerEnd));
    rest = rest.slice(headerEnd + 1);
    let payload;
    if (typeof header.length === 'number') {
      const bytes = Buffer.from(rest, 'utf8');
      payload = bytes.subarray(0, header.length).toString('utf8');
      rest = bytes.subarray(header.length + 1).toString('utf8');
    } else {
      const end = rest.indexOf('\n');
      payload = end === -1 ? rest : rest.slice(0, end);
      rest = end === -1 ? '' : rest.slice(end + 1);
    }
    if (header.type === 'transaction') {
      const event = JSON.parse(payload);
      counts.spans += 1 + (event.spans?.length ?? 0);
      if (event.contexts?.trace?.op === 'http.server') counts.serverSpans++;
    } else if (header.type === 'span') {
      // Span streaming (Sentry 11): `{ version: 2, items: [...] }`, the op in `sentry.op`.
      const items = JSON.parse(payload).items ?? [];
      counts.spans += items.length;
      for (const item of items) if (item.attributes?.['sentry.op']?.value === 'http.server') counts.serverSpans++;
    }
  }
}
