import { parseSnapshot } from './parse-snapshot';
import type { TelemetrySnapshot } from './telemetry-snapshot';
import type { TelemetrySource } from './telemetry-source';

/** Options of `serverCollector`. */
export interface ServerCollectorOptions {
  /** How the side is named in failure messages. Default `server (<url>)`. */
  label?: string;
  /** Turns the response body into a snapshot; default: the body is `{ points, spans }` already. */
  parse?: (body: unknown) => TelemetrySnapshot;
  /** Headers for the request (an auth token, say). */
  headers?: Record<string, string>;
  /**
   * A route that makes the server flush isometer (`await flush()`), POSTed as each test starts so
   * what earlier tests left in the server's current interval is not counted again. Default: none.
   */
  flushUrl?: string;
}

/**
 * A server's collected telemetry, read over HTTP: `GET url` must answer JSON
 * `{ points: MetricPoint[], spans: SpanData[] }` (see `TelemetrySnapshot`), everything the
 * server recorded since it started or was reset. A server gets there by keeping what a
 * `memoryExporter()` received and serving `{ points: memory.points(), spans: memory.spans }`.
 *
 * @example
 * const server = serverCollector('http://127.0.0.1:3000/__telemetry');
 * await expect(server).toHaveCounter('orders.created', { value: 1 });
 */
export function serverCollector(url: string, options: ServerCollectorOptions = {}): TelemetrySource {
  const parse = options.parse ?? parseSnapshot;
  return {
    label: options.label ?? `server (${url})`,
    async collect() {
      const response = await fetch(url, { headers: { accept: 'application/json', ...options.headers } });
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status} ${response.statusText}`);
      return parse(await response.json());
    },
    ...(options.flushUrl === undefined
      ? {}
      : {
          async flushPending() {
            const response = await fetch(options.flushUrl!, { method: 'POST', headers: options.headers });
            if (!response.ok) throw new Error(`POST ${options.flushUrl} answered ${response.status} ${response.statusText}`);
          },
        }),
  };
}
