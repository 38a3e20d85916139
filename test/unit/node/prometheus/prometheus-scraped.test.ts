import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { init } from '../../../../src/core/sdk/init';
import { close, flush } from '../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../src/core/metrics/metrics';
import { startSpan } from '../../../../src/core/trace/start-span';
import { prometheusHandler, type PrometheusHandler } from '../../../../src/node/prometheus/prometheus-handler';
import { startPrometheus, type PrometheusServer } from '../../../support/prometheus-server';
import { exactQuantile, logUniform, seededRandom } from '../../../support/seeded-random';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await close(5000);
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The app's own server with the handler mounted at /metrics; it tells when scrapes have been answered. */
async function serveMetrics(handler: PrometheusHandler) {
  const scrapes: IncomingHttpHeaders[] = [];
  const watchers: Array<{ n: number; resolve(): void }> = [];
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    response.on('finish', () => {
      scrapes.push(request.headers);
      for (const watcher of [...watchers]) if (scrapes.length >= watcher.n) watcher.resolve();
    });
    void handler.handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return {
    target: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    scrapes,
    /**
     * Resolves once `more` further scrapes were answered. Prometheus stores a scrape before it
     * starts the next, so with 3 the second is stored, and it began after this call: one scrape
     * already under way may still carry the totals from before.
     */
    scraped: (more: number) => new Promise<void>((resolve) => watchers.push({ n: scrapes.length + more, resolve })),
  };
}

async function prometheus(target: string, features: string[]): Promise<PrometheusServer> {
  const server = await startPrometheus({ target, metricsPath: '/metrics', scrapeIntervalMs: 200, features });
  cleanups.push(() => server.close());
  return server;
}

/**
 * The expression's one value. A scrape that outlasts its timeout on a busy machine makes Prometheus
 * mark every series stale until the next one, so an empty answer is asked again.
 */
const value = async (server: PrometheusServer, expression: string): Promise<number> => {
  const result = await vi.waitFor(
    async () => {
      const answer = await server.query(expression);
      expect(answer, expression).toHaveLength(1);
      return answer;
    },
    { timeout: 5000, interval: 100 },
  );
  return Number(result[0].value[1]);
};

describe('Prometheus scraping the endpoint', () => {
  it('with native histograms: exact counters and gauges, exemplars with isometer trace ids, histogram_quantile within 2%', async () => {
    const handler = prometheusHandler();
    init({ flushIntervalMs: 0, tracesSampleRate: 1, serviceName: 'checkout-api', exporters: [handler] });
    const endpoint = await serveMetrics(handler);
    const random = seededRandom(9464);
    const recorded: number[] = [];
    const traceIds = new Set<string>();
    const record = (n: number) => {
      for (let i = 0; i < n; i++) {
        startSpan({ name: 'checkout' }, (span) => {
          traceIds.add(span.traceId);
          metrics.count('checkout.orders', 1, { attributes: { route: i % 3 === 0 ? '/cart' : '/pay' } });
          const ms = logUniform(random, 1, 1000);
          recorded.push(ms);
          metrics.distribution('checkout.duration', ms, { unit: 'millisecond' });
        });
      }
      metrics.gauge('queue.depth', n, { attributes: { queue: 'email' } });
    };
    record(3000);
    expect(await flush(5000)).toBe(true);
    const server = await prometheus(endpoint.target, ['native-histograms', 'exemplar-storage']);
    await endpoint.scraped(3);
    expect(endpoint.scrapes[0].accept).toMatch(/^application\/vnd\.google\.protobuf;proto=io\.prometheus\.client\.MetricFamily;encoding=delimited/);

    expect(await value(server, 'checkout_orders_total{route="/cart"}')).toBe(1000);
    expect(await value(server, 'checkout_orders_total{route="/pay"}')).toBe(2000);
    expect(await value(server, 'queue_depth{queue="email"}')).toBe(3000);
    expect(await value(server, 'target_info{service_name="checkout-api"}')).toBe(1);

    // Cumulative: a second interval adds to the totals Prometheus sees.
    record(1500);
    expect(await flush(5000)).toBe(true);
    await endpoint.scraped(3);
    expect(await value(server, 'checkout_orders_total{route="/cart"}')).toBe(1500);
    expect(await value(server, 'checkout_orders_total{route="/pay"}')).toBe(3000);
    expect(await value(server, 'queue_depth{queue="email"}')).toBe(1500);
    expect(await value(server, 'histogram_count(checkout_duration_milliseconds)')).toBe(4500);

    recorded.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const estimate = await value(server, `histogram_quantile(${q}, checkout_duration_milliseconds)`);
      const error = Math.abs(estimate / exactQuantile(recorded, q) - 1);
      expect(error, `p${q * 100}`).toBeLessThan(0.02);
    }

    const exemplarSets = await server.queryExemplars('checkout_orders_total', Date.now() / 1000 - 600);
    const exemplarTraces = exemplarSets.flatMap((set) => set.exemplars.map((exemplar) => exemplar.labels.trace_id));
    expect(exemplarTraces.length).toBeGreaterThan(0);
    for (const traceId of exemplarTraces) expect(traceIds.has(traceId), traceId).toBe(true);
    const histogramExemplars = await server.queryExemplars('checkout_duration_milliseconds', Date.now() / 1000 - 600);
    const bucketExemplars = histogramExemplars.flatMap((set) => set.exemplars);
    expect(bucketExemplars.length).toBeGreaterThan(0);
    for (const exemplar of bucketExemplars) expect(traceIds.has(exemplar.labels.trace_id), exemplar.labels.trace_id).toBe(true);
  });

  it('without native histograms, over OpenMetrics: exact counters, classic buckets that count exactly, exemplars with isometer trace ids', async () => {
    const handler = prometheusHandler();
    init({ flushIntervalMs: 0, tracesSampleRate: 1, exporters: [handler] });
    const endpoint = await serveMetrics(handler);
    const traceIds = new Set<string>();
    const recorded: number[] = [];
    for (let i = 0; i < 2000; i++) {
      startSpan({ name: 'upload' }, (span) => {
        traceIds.add(span.traceId);
        metrics.count('uploads.total', 2, { attributes: { 'http.route': '/upload' } });
        const bytes = 100 + ((i * 7919) % 5000);
        recorded.push(bytes);
        metrics.distribution('upload.size', bytes, { unit: 'byte' });
      });
    }
    expect(await flush(5000)).toBe(true);
    const server = await prometheus(endpoint.target, ['exemplar-storage']);
    await endpoint.scraped(3);
    expect(endpoint.scrapes[0].accept).toMatch(/^application\/openmetrics-text;version=1\.0\.0/);

    expect(await value(server, 'uploads_total{http_route="/upload"}')).toBe(4000);
    expect(await value(server, 'upload_size_bytes_count')).toBe(2000);
    expect(await value(server, 'upload_size_bytes_sum')).toBe(recorded.reduce((sum, bytes) => sum + bytes, 0));
    // Powers of two hold whole exponential buckets, so each classic bucket counts exactly.
    for (const le of [128, 1024, 4096, 8192]) {
      expect(await value(server, `upload_size_bytes_bucket{le="${le}.0"}`), `le=${le}`).toBe(recorded.filter((bytes) => bytes <= le).length);
    }
    const exemplars = (await server.queryExemplars('uploads_total', Date.now() / 1000 - 600)).flatMap((set) => set.exemplars);
    expect(exemplars.length).toBeGreaterThan(0);
    for (const exemplar of exemplars) expect(traceIds.has(exemplar.labels.trace_id), exemplar.labels.trace_id).toBe(true);
    const bucketExemplars = (await server.queryExemplars('upload_size_bytes_bucket', Date.now() / 1000 - 600)).flatMap((set) => set.exemplars);
    expect(bucketExemplars.length).toBeGreaterThan(0);
  });
});
