import { demoCollector } from './demo-collector';
import type { DemoCollectorOrigin } from './from-demo-collector-state';
import { serverCollector } from './server-collector';
import { isTelemetrySource, type TelemetrySource } from './telemetry-source';

/**
 * Where the `metrics` fixture reads the server's side (`metrics.server`). A string is the URL of
 * a route answering `{ points, spans }`; the object form can name the isometer demo's collector
 * instead. Both are plain data, so they work in `playwright.config.ts` `use` as well as in
 * `test.use`; a `TelemetrySource` object works in `test.use`.
 */
export type IsometerServerOption = string | { url: string; format?: 'snapshot' | 'isometer-demo'; origin?: DemoCollectorOrigin; label?: string } | TelemetrySource;

/**
 * The source an `isometerServer` option describes; undefined without one.
 *
 * @example
 * resolveServerOption({ url: 'http://127.0.0.1:3000', format: 'isometer-demo' })?.label;
 */
export function resolveServerOption(option: IsometerServerOption | undefined): TelemetrySource | undefined {
  if (option === undefined || option === null || option === '') return undefined;
  if (typeof option === 'string') return serverCollector(option);
  if (isTelemetrySource(option)) return option;
  if (typeof option === 'object' && typeof option.url === 'string') {
    return option.format === 'isometer-demo' ? demoCollector(option.url, { origin: option.origin, label: option.label }) : serverCollector(option.url, { label: option.label });
  }
  throw new Error(`isometerServer: expected a URL, { url, format? } or a telemetry source; got ${JSON.stringify(option)}`);
}
