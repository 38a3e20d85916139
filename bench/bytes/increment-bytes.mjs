/**
 * Bytes on the wire for 100k increments over 10 series in one interval.
 *
 * isometer aggregates, so one flush carries 10 counter points. What is measured, in order of
 * preference:
 *  1. the OTLP/HTTP exporter (`isometer/otlp`, its default encoding: protobuf in Node), sending to a loopback server that counts the
 *     request bodies it receives — the real serialisation, really sent;
 *  2. otherwise `JSON.stringify` of the MetricBatch the exporters receive (resource + points).
 * The JSON of the batch (and of its points alone) is always printed too, for comparison.
 *
 * Sentry 11 sends every call as its own `trace_metric` item; its transport here serialises each
 * envelope with `serializeEnvelope`, exactly what its HTTP transport would put in the body.
 */
import * as http from 'node:http';
import { TEN_SERIES } from '../fixtures.mjs';
import { BENCH_ENVIRONMENT, BENCH_RELEASE } from '../peers/isometer.mjs';
import { startSentry } from '../peers/sentry.mjs';

export const INCREMENTS = 100_000;

/** A loopback OTLP collector stand-in: counts body bytes per request and answers 200. */
async function startByteCountingServer() {
  const received = { requests: 0, bytes: 0, paths: new Set(), encodings: new Set() };
  const server = http.createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      received.requests++;
      received.bytes += bytes;
      received.paths.add(request.url);
      received.encodings.add(request.headers['content-encoding'] ?? 'identity');
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { received, endpoint: `http://127.0.0.1:${port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

/** The OTLP exporter when the build has one; `{ reason }` otherwise. */
function otlpExporterFrom(otlp) {
  if (otlp?.loadError) return { reason: `\`isometer/otlp\` could not be loaded (${otlp.loadError.code ?? otlp.loadError.message})` };
  if (typeof otlp?.otlpExporter !== 'function') return { reason: '`isometer/otlp` has no otlpExporter()' };
  return { otlpExporter: otlp.otlpExporter };
}

async function measureIsometer(isometer, otlp) {
  const json = { batches: 0, points: 0, increments: 0, batchBytes: 0, pointsBytes: 0 };
  const jsonExporter = {
    name: 'bench-json-size',
    exportMetrics(batch) {
      json.batches++;
      json.points += batch.points.length;
      for (const point of batch.points) if (point.type === 'counter') json.increments += point.sum;
      json.batchBytes += Buffer.byteLength(JSON.stringify(batch));
      json.pointsBytes += Buffer.byteLength(JSON.stringify(batch.points));
    },
  };
  const { otlpExporter, reason } = otlpExporterFrom(otlp);
  const server = otlpExporter ? await startByteCountingServer() : undefined;
  const exporters = [jsonExporter];
  if (otlpExporter) exporters.push(otlpExporter({ endpoint: server.endpoint, env: {} }));

  const client = isometer.init({ exporters, flushIntervalMs: 0, serviceName: 'bench', release: BENCH_RELEASE, environment: BENCH_ENVIRONMENT });
  if (!client?.isActive) throw new Error('isometer init() returned an inactive client');
  const { metrics } = isometer;
  for (let i = 0; i < INCREMENTS; i++) {
    const series = TEN_SERIES[i % TEN_SERIES.length];
    metrics.count('requests', 1, { attributes: { route: series.route, method: series.method, status: series.status } });
  }
  const delivered = await isometer.close();
  await server?.stop();

  const received = server?.received;
  if (received && received.requests > 0) {
    return {
      bytes: received.bytes,
      measured: `OTLP/HTTP JSON request bodies received on loopback (${received.requests} request(s) to ${[...received.paths].join(', ')}, content-encoding ${[...received.encodings].join(', ')})`,
      json,
      delivered,
    };
  }
  const why = received ? 'the OTLP exporter sent nothing to the loopback server' : reason;
  return { bytes: json.batchBytes, measured: `JSON.stringify(MetricBatch) as exporters receive it — not a wire format (${why})`, json, delivered };
}

async function measureSentry() {
  const sentry = startSentry({ serialize: true });
  for (let i = 0; i < INCREMENTS; i++) {
    const series = TEN_SERIES[i % TEN_SERIES.length];
    sentry.metrics.count('requests', 1, { attributes: { route: series.route, method: series.method, status: series.status } });
  }
  const items = await sentry.recorded();
  await sentry.stop();
  return { bytes: sentry.stats.bytes, envelopes: sentry.stats.envelopes, items };
}

/**
 * Runs both sides. `isometer` is the `isometer/node` module, `otlp` the `isometer/otlp` one (or
 * `{ loadError }`); isometer must not have an active client when this is called.
 */
export async function measureIncrementBytes(isometer, otlp) {
  return { isometer: await measureIsometer(isometer, otlp), sentry: await measureSentry() };
}
