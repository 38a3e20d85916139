import { afterEach, describe, expect, it, vi } from 'vitest';
import { connect } from 'node:net';
import { init } from '../../../../src/core/sdk/init';
import { close, flush } from '../../../../src/core/sdk/lifecycle';
import { metrics } from '../../../../src/core/metrics/metrics';
import type { Exporter } from '../../../../src/core/export/exporter';
import { debugLogger } from '../../../../src/core/internal/debug-logger';
import { environmentExporters } from '../../../../src/node/environment-exporters';
import { prometheusExporter, type PrometheusExporter } from '../../../../src/node/prometheus/prometheus-exporter';

const exporters: Exporter[] = [];
afterEach(async () => {
  await close(5000);
  for (const exporter of exporters.splice(0)) await exporter.shutdown?.();
  debugLogger.resetWarnings();
  vi.restoreAllMocks();
});

function own<T extends Exporter>(exporter: T): T {
  exporters.push(exporter);
  return exporter;
}

describe('prometheusExporter', () => {
  it('serves the totals of every flush at /metrics on its own server, and 404 elsewhere', async () => {
    const exporter = prometheusExporter({ host: '127.0.0.1', port: 0 });
    init({ flushIntervalMs: 0, exporters: [exporter] });
    const url = await exporter.url();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    metrics.count('http.requests', 2, { attributes: { 'http.route': '/cart' } });
    metrics.distribution('http.server.request.duration', 0.25, { unit: 'second' });
    expect(await flush(5000)).toBe(true);
    metrics.count('http.requests', 3, { attributes: { 'http.route': '/cart' } });
    expect(await flush(5000)).toBe(true);
    const text = await (await fetch(url!)).text();
    expect(text).toContain('http_requests_total{http_route="/cart"} 5\n');
    expect(text).toContain('http_server_request_duration_seconds_count 1\n');
    expect((await fetch(url!.replace('/metrics', '/other'))).status).toBe(404);
    expect(await close(5000)).toBe(true);
    await expect(fetch(url!)).rejects.toThrow();
  });

  it('serves another path when asked', async () => {
    const exporter = own(prometheusExporter({ host: '127.0.0.1', port: 0, path: '/internal/metrics' }));
    expect(await exporter.url()).toMatch(/\/internal\/metrics$/);
    expect((await fetch((await exporter.url())!)).status).toBe(200);
  });

  it('warns and serves nothing when the port is taken, without throwing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const first = own(prometheusExporter({ host: '127.0.0.1', port: 0 }));
    const port = Number(new URL((await first.url())!).port);
    const second = own(prometheusExporter({ host: '127.0.0.1', port }));
    expect(await second.url()).toBeUndefined();
    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).toMatch(new RegExp(`could not listen on 127\\.0\\.0\\.1:${port}.*OTEL_EXPORTER_PROMETHEUS_PORT`));
  });

  it('OTEL_METRICS_EXPORTER=prometheus turns it on at OTEL_EXPORTER_PROMETHEUS_HOST and _PORT', async () => {
    const fromEnvironment = environmentExporters({ OTEL_METRICS_EXPORTER: 'otlp, prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: '0' });
    const exporter = own(fromEnvironment.find((candidate) => candidate.name === 'prometheus') as PrometheusExporter);
    expect(await exporter.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(environmentExporters({ OTEL_METRICS_EXPORTER: 'otlp' }).map((candidate) => candidate.name)).not.toContain('prometheus');
  });

  it('an explicit port wins over OTEL_EXPORTER_PROMETHEUS_PORT; a bad port option is one warning, then the environment is used', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const exporter = own(prometheusExporter({ host: '127.0.0.1', port: 0, env: { OTEL_EXPORTER_PROMETHEUS_PORT: 'nine' } }));
    expect(await exporter.url()).toBeDefined();
    expect(warn).not.toHaveBeenCalled();
    const fromBadEnvironment = own(prometheusExporter({ port: 'x' as unknown as number, host: '127.0.0.1', env: { OTEL_EXPORTER_PROMETHEUS_PORT: '0' } }));
    expect(await fromBadEnvironment.url()).toBeDefined();
    expect(warn.mock.calls.map((call) => call.join(' ')).join('\n')).toMatch(/prometheusExporter\(\{ port \}\)/);
  });

  it('keeps serving while scrapers hang half-way or reset, and its shutdown does not wait for them', async () => {
    const exporter = prometheusExporter({ host: '127.0.0.1', port: 0 });
    await exporter.exportMetrics!({
      resource: { attributes: {}, sdk: { name: 'isometer', version: '0' } },
      startTimeMs: 0,
      endTimeMs: 1,
      points: [{ type: 'gauge', name: 'up.check', unit: '', attributes: {}, startTimeMs: 0, timeMs: 1, exemplars: [], last: 1, min: 1, max: 1, sum: 1, count: 1 }],
    });
    const url = new URL((await exporter.url())!);
    const hanging = connect(Number(url.port), '127.0.0.1');
    hanging.on('error', () => undefined);
    hanging.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    for (let i = 0; i < 5; i++) {
      const resetting = connect(Number(url.port), '127.0.0.1', () => resetting.end('GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n'));
      resetting.on('data', () => resetting.resetAndDestroy());
      resetting.on('error', () => undefined);
      await new Promise((resolve) => resetting.on('close', resolve));
    }
    expect(await (await fetch(url)).text()).toContain('up_check 1\n');
    await exporter.shutdown!();
    // The half-sent request's connection was closed by the shutdown, not left open.
    await new Promise<void>((resolve) => (hanging.destroyed ? resolve() : hanging.once('close', () => resolve())));
    expect(hanging.destroyed).toBe(true);
  });
});
