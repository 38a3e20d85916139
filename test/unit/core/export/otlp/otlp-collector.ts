/**
 * Test helper: a loopback OTLP/HTTP receiver. It keeps each request's raw bytes, decodes protobuf
 * and JSON bodies strictly against the published OTLP definitions, and answers each request as
 * `behaviour(index)` says: a status, a connection reset, or no answer at all.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtobuf, ExportMetricsServiceRequest, ExportTraceServiceRequest, protoRoundTrip } from './otlp-proto';

export interface Arrival {
  path: string;
  raw: Buffer;
  headers: http.IncomingHttpHeaders;
}

export type Behaviour = number | 'reset' | 'hang' | { status: number; headers: Record<string, string> };

export interface Collector {
  endpoint: string;
  arrivals: Arrival[];
  close(): Promise<void>;
}

export async function startCollector(behaviour: (index: number) => Behaviour = () => 200): Promise<Collector> {
  const arrivals: Arrival[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const index = arrivals.length;
      arrivals.push({ path: request.url ?? '', raw: Buffer.concat(chunks), headers: request.headers });
      const answer = behaviour(index);
      if (answer === 'reset') return request.socket.destroy();
      if (answer === 'hang') return;
      const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A request body decoded by its content type: protobuf strictly, JSON through the definitions. */
export function decodeArrival(arrival: Arrival): Record<string, any> {
  const type = arrival.path.endsWith('/v1/traces') ? ExportTraceServiceRequest : ExportMetricsServiceRequest;
  if (arrival.headers['content-type'] === 'application/x-protobuf') return decodeProtobuf(type, new Uint8Array(arrival.raw));
  return protoRoundTrip(type, arrival.raw.toString('utf8'));
}

/** Every metric data point in the arrivals to `/v1/metrics`, with its metric. */
export function metricDataPoints(arrivals: Arrival[]): Array<{ metric: Record<string, any>; point: Record<string, any> }> {
  const out: Array<{ metric: Record<string, any>; point: Record<string, any> }> = [];
  for (const arrival of arrivals) {
    if (!arrival.path.endsWith('/v1/metrics')) continue;
    for (const resourceMetrics of decodeArrival(arrival).resourceMetrics)
      for (const scopeMetrics of resourceMetrics.scopeMetrics) for (const metric of scopeMetrics.metrics) for (const point of metric[metric.data].dataPoints) out.push({ metric, point });
  }
  return out;
}
