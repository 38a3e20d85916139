import type { Exporter } from '../core/export/exporter';
import { consoleExporter } from '../core/export/console-exporter';

/**
 * The exporters a server's environment asks for, so it is configured without code:
 * `ISOMETER_CONSOLE=1` adds the console exporter.
 */
export function environmentExporters(env: NodeJS.ProcessEnv = process.env): Exporter[] {
  const exporters: Exporter[] = [];
  if (isOn(env.ISOMETER_CONSOLE)) exporters.push(consoleExporter());
  return exporters;
}

function isOn(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value.trim());
}
