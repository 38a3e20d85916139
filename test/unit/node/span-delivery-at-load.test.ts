import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { close, flush, getDroppedCounts, init } from '../../../src/node/index';
import { otlpExporter } from '../../../src/otlp/index';

// Taken before init patches anything: the load's own requests must not be traced.
const plainRequest = http.request;

const REQUESTS = 20_000;
const CONNECTIONS = 16;
/** OTLP `Span.SpanKind.SPAN_KIND_SERVER`. */
const SERVER_KIND = 2;
/** OTLP `AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE`. */
const CUMULATIVE = 2;

const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  await close();
  for (const closer of closers.splice(0)) await closer();
});

async function listen(server: http.Server): Promise<number> {
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function isGet(attributes: Array<{ key: string; value: { stringValue?: string } }>): boolean {
  return attributes.some((attribute) => attribute.key === 'http.request.method' && attribute.value.stringValue === 'GET');
}

/** A loopback OTLP/HTTP JSON collector that counts the server spans and request durations it got. */
async function startCollector(): Promise<{ endpoint: string; serverSpans: () => number; durations: () => number }> {
  const spanIds = new Set<string>();
  const countsBySeries = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      for (const resource of body.resourceSpans ?? []) {
        // The collector is a node:http server in the same process, traced too: count the load's spans only.
        for (const scope of resource.scopeSpans) for (const span of scope.spans) if (span.kind === SERVER_KIND && span.name.startsWith('GET /items/')) spanIds.add(span.spanId);
      }
      for (const resource of body.resourceMetrics ?? []) {
        for (const scope of resource.scopeMetrics) {
          for (const metric of scope.metrics) {
            if (metric.name !== 'http.server.request.duration') continue;
            // The load sends GETs; the exporter's own requests to the collector are POSTs. Node's
            // default temporality is cumulative: a later point of a series carries its whole count.
            const cumulative = metric.exponentialHistogram.aggregationTemporality === CUMULATIVE;
            for (const point of metric.exponentialHistogram.dataPoints) {
              if (!isGet(point.attributes)) continue;
              const series = JSON.stringify(point.attributes);
              countsBySeries.set(series, cumulative ? Number(point.count) : (countsBySeries.get(series) ?? 0) + Number(point.count));
            }
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const port = await listen(server);
  return { endpoint: `http://127.0.0.1:${port}`, serverSpans: () => spanIds.size, durations: () => [...countsBySeries.values()].reduce((sum, count) => sum + count, 0) };
}

/** Sends `total` requests over `connections` keep-alive connections, each as soon as the last answer ended. */
async function load(port: number, total: number, connections: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  let sent = 0;
  let ok = 0;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const request = plainRequest({ host: '127.0.0.1', port, path: `/items/${sent}`, agent }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode === 200) ok++;
          resolve();
        });
      });
      request.on('error', reject);
      request.end();
    });
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent++;
      await one();
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  agent.destroy();
  return ok;
}

describe('span delivery at load', () => {
  it(
    `delivers every sampled server span of ${REQUESTS.toLocaleString('en-US')} keep-alive requests at full speed, with default options`,
    async () => {
      const collector = await startCollector();
      init({ tracesSampleRate: 1, exporters: [otlpExporter({ endpoint: collector.endpoint, protocol: 'http/json' })] });
      const port = await listen(http.createServer((_request, response) => response.end('ok')));

      expect(await load(port, REQUESTS, CONNECTIONS)).toBe(REQUESTS);
      // Spans leave in batches while the load runs, not only when a flush comes.
      expect(collector.serverSpans()).toBeGreaterThan(0);
      expect(await flush()).toBe(true);

      expect(collector.serverSpans()).toBe(REQUESTS);
      expect(collector.durations()).toBe(REQUESTS);
      expect(getDroppedCounts()).toEqual({});
    },
    { timeout: 300_000 },
  );
});
