import { devViewer } from './dev-viewer';
import type { ViewerSelection } from './from-viewer-state';
import { serverCollector } from './server-collector';
import { isTelemetrySource, type TelemetrySource } from './telemetry-source';

/**
 * Where the `metrics` fixture reads the server's side (`metrics.server`). A string is the URL of
 * a route answering `{ points, spans }`; `{ url, format: 'isometer-dev' }` is a running
 * `npx isometer dev` viewer (its server side, or `origin`/`service`). Both are plain data, so
 * they work in `playwright.config.ts` `use` as well as in `test.use`; a `TelemetrySource` object
 * works in `test.use`.
 */
export type IsometerServerOption = string | ({ url: string; format?: 'snapshot' | 'isometer-dev'; label?: string } & ViewerSelection) | TelemetrySource;

/**
 * The source an `isometerServer` option describes; undefined without one.
 *
 * @example
 * resolveServerOption({ url: 'http://127.0.0.1:8976', format: 'isometer-dev' })?.label;
 */
export function resolveServerOption(option: IsometerServerOption | undefined): TelemetrySource | undefined {
  if (option === undefined || option === null || option === '') return undefined;
  if (typeof option === 'string') return serverCollector(option);
  if (isTelemetrySource(option)) return option;
  if (typeof option === 'object' && typeof option.url === 'string') {
    return option.format === 'isometer-dev' ? devViewer(option.url, { origin: option.origin, service: option.service, label: option.label }) : serverCollector(option.url, { label: option.label });
  }
  throw new Error(`isometerServer: expected a URL, { url, format? } or a telemetry source; got ${JSON.stringify(option)}`);
}
