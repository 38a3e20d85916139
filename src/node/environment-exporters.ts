import type { Exporter } from '../core/export/exporter';
import { consoleExporter } from '../core/export/console-exporter';
import { statsdExporter } from './statsd/statsd-exporter';
import { otlpExporter } from '../core/export/otlp/otlp-exporter';
import { createNodeHttpTransport } from './http-transport';

/**
 * The exporters a server's environment asks for, so it is configured without code:
 * `ISOMETER_CONSOLE=1` adds the console exporter, `STATSD_HOST` (+ `STATSD_PORT`, `STATSD_MODE`) the StatsD one,
 * `OTEL_EXPORTER_OTLP_ENDPOINT` the OTLP/HTTP one.
 */
export function environmentExporters(env: NodeJS.ProcessEnv = process.env): Exporter[] {
  const exporters: Exporter[] = [];
  if (isOn(env.ISOMETER_CONSOLE)) exporters.push(consoleExporter());
  // STATSD_HOST switches the StatsD exporter on; it reads STATSD_PORT and STATSD_MODE itself.
  if (env.STATSD_HOST !== undefined && env.STATSD_HOST.trim() !== '') exporters.push(statsdExporter({ env }));
  // Any of the OTLP endpoint variables switches the OTLP/HTTP exporter on.
  if (['OTEL_EXPORTER_OTLP_ENDPOINT', 'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT', 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'].some((name) => (env[name] ?? '').trim() !== '')) {
    exporters.push(otlpExporter({ env, transport: createNodeHttpTransport() }));
  }
  return exporters;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
