import type { Exporter } from '../core/export/exporter';
import { consoleExporter } from '../core/export/console-exporter';
import { statsdExporter } from './statsd/statsd-exporter';
import { otlpExporter } from '../core/export/otlp/otlp-exporter';
import { createNodeHttpTransport } from './http-transport';
import { datadogExporter } from './datadog/datadog-exporter';
import { prometheusExporter } from './prometheus/prometheus-exporter';

/**
 * The exporters a server's environment asks for, so it is configured without code:
 * `ISOMETER_CONSOLE=1` adds the console exporter, `STATSD_HOST` (+ `STATSD_PORT`) the StatsD one,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` the OTLP/HTTP one, `DD_API_KEY` (+ `DD_SITE`) the Datadog API one, and `OTEL_METRICS_EXPORTER=prometheus` a Prometheus scrape endpoint
 * (`OTEL_EXPORTER_PROMETHEUS_HOST`/`PORT`, default localhost:9464). An exporter named in
 * `present` (the app passed its own) is not made at all: an option wins over the environment, and
 * a second Prometheus endpoint or socket must not be opened for nothing.
 */
export function environmentExporters(env: NodeJS.ProcessEnv = process.env, present: readonly string[] = []): Exporter[] {
  const exporters: Exporter[] = [];
  const wanted = (name: string): boolean => !present.includes(name);
  if (isOn(env.ISOMETER_CONSOLE) && wanted('console')) exporters.push(consoleExporter());
  // STATSD_HOST switches the StatsD exporter on; STATSD_PORT picks its port.
  if (env.STATSD_HOST !== undefined && env.STATSD_HOST.trim() !== '' && wanted('statsd')) exporters.push(statsdExporter({ host: env.STATSD_HOST, port: Number(env.STATSD_PORT) || undefined }));
  // Any of the OTLP endpoint variables switches the OTLP/HTTP exporter on.
  if (wanted('otlp') && ['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'].some((name) => (env[name] ?? '').trim() !== '')) {
    exporters.push(otlpExporter({ env, transport: createNodeHttpTransport() }));
  }
  // DD_API_KEY switches the Datadog API exporter on; DD_SITE picks the site.
  if ((env.DD_API_KEY ?? '').trim() !== '' && wanted('datadog')) exporters.push(datadogExporter({ env }));
  // OTEL_METRICS_EXPORTER is a comma-separated list (otlp, prometheus, console, none).
  if (wanted('prometheus') && (env.OTEL_METRICS_EXPORTER ?? '').split(',').some((name) => name.trim().toLowerCase() === 'prometheus')) exporters.push(prometheusExporter({ env }));
  return exporters;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
