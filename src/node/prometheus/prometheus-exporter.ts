import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { debugLogger } from '../../core/internal/debug-logger';
import { errorMessage } from '../../core/internal/error-message';
import { prometheusHandler, type PrometheusHandler, type PrometheusHandlerOptions } from './prometheus-handler';

export interface PrometheusExporterOptions extends PrometheusHandlerOptions {
  /** Port to listen on; 0 picks a free one. Default `OTEL_EXPORTER_PROMETHEUS_PORT`, else 9464. */
  port?: number;
  /** Host to listen on. Default `OTEL_EXPORTER_PROMETHEUS_HOST`, else `localhost` (set `0.0.0.0` to be scraped from elsewhere). */
  host?: string;
  /** Path of the scrape endpoint; other paths answer 404. Default `/metrics`. */
  path?: string;
  /** Where `OTEL_EXPORTER_PROMETHEUS_*` are read. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

/** The scrape endpoint with its own server. */
export interface PrometheusExporter extends PrometheusHandler {
  /** Resolves with the endpoint's URL once listening, or undefined when it could not listen (warned). */
  url(): Promise<string | undefined>;
}

/** The port OpenTelemetry's Prometheus exporter uses (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/#prometheus-exporter). */
export const DEFAULT_PROMETHEUS_PORT = 9464;
export const DEFAULT_PROMETHEUS_HOST = 'localhost';

/**
 * A Prometheus scrape endpoint on a server of its own (`http://localhost:9464/metrics` by
 * default), cumulative, in text 0.0.4, OpenMetrics with exemplars, or protobuf with native
 * histograms as the scraper asks; see `prometheusHandler` to mount it on an existing server
 * instead. The server never keeps the process alive on its own and closes with `close()`.
 * `OTEL_METRICS_EXPORTER=prometheus` turns it on without code.
 *
 * @example
 * import { init, prometheusExporter } from 'isometer/node';
 * init({ exporters: [prometheusExporter({ host: '0.0.0.0', port: 9464 })] });
 * // scrape_configs: - job_name: checkout-api, static_configs: [{ targets: ['checkout-api:9464'] }]
 */
export function prometheusExporter(options: PrometheusExporterOptions = {}): PrometheusExporter {
  const raw: PrometheusExporterOptions = typeof options === 'object' && options !== null ? options : {};
  const env = raw.env ?? process.env;
  const port = listenPort(raw.port, env.OTEL_EXPORTER_PROMETHEUS_PORT);
  const host = listenHost(raw.host, env.OTEL_EXPORTER_PROMETHEUS_HOST);
  const path = typeof raw.path === 'string' && raw.path.startsWith('/') ? raw.path : warnPath(raw.path);
  const handler = prometheusHandler(raw);
  let server: Server | undefined;
  const listening = new Promise<string | undefined>((resolve) => {
    try {
      server = createServer((request, response) => {
        if ((request.url ?? '').split('?')[0] !== path) {
          response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`isometer serves metrics at ${path}\n`);
          return;
        }
        void handler.handle(request, response);
      });
      server.on('error', (error) => {
        debugLogger.warnOnce(
          `prometheus:listen:${host}:${port}`,
          `prometheusExporter could not listen on ${host}:${port} (${errorMessage(error)}); set port (or OTEL_EXPORTER_PROMETHEUS_PORT) to a free one. Nothing is served.`,
        );
        resolve(undefined);
      });
      server.listen(port, host, () => {
        const address = server?.address() as AddressInfo;
        const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        resolve(`http://${shown}:${address.port}${path}`);
      });
      // The app's own work keeps the process alive; a scrape endpoint alone should not.
      server.unref();
    } catch (error) {
      debugLogger.internalError('prometheusExporter: listen', error);
      resolve(undefined);
    }
  });
  return {
    ...handler,
    url: () => listening,
    async shutdown() {
      await listening;
      await new Promise<void>((resolve) => {
        if (!server?.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listenPort(value: unknown, fromEnv: string | undefined): number {
  if (value !== undefined) {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value;
    debugLogger.warnOnce('prometheusExporter:port', `prometheusExporter({ port }): expected a whole number from 0 to 65535; using OTEL_EXPORTER_PROMETHEUS_PORT or ${DEFAULT_PROMETHEUS_PORT}.`);
  }
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const parsed = Number(fromEnv);
    if (Number.isInteger(parsed) && parsed >= 0 && parsed <= 65535) return parsed;
    debugLogger.warnOnce('prometheusExporter:OTEL_EXPORTER_PROMETHEUS_PORT', `OTEL_EXPORTER_PROMETHEUS_PORT=${JSON.stringify(fromEnv)} is not a port (0 to 65535); using ${DEFAULT_PROMETHEUS_PORT}.`);
  }
  return DEFAULT_PROMETHEUS_PORT;
}

function listenHost(value: unknown, fromEnv: string | undefined): string {
  if (value !== undefined) {
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
    debugLogger.warnOnce('prometheusExporter:host', `prometheusExporter({ host }): expected a host name or address; using OTEL_EXPORTER_PROMETHEUS_HOST or ${DEFAULT_PROMETHEUS_HOST}.`);
  }
  return fromEnv?.trim() || DEFAULT_PROMETHEUS_HOST;
}

function warnPath(value: unknown): string {
  if (value !== undefined) debugLogger.warnOnce('prometheusExporter:path', `prometheusExporter({ path }): expected a path starting with "/"; using /metrics.`);
  return '/metrics';
}
