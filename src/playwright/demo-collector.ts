import { fromDemoCollectorState, type DemoCollectorOrigin } from './from-demo-collector-state';
import type { TelemetrySource } from './telemetry-source';

/**
 * The isometer demo's collector as a source, with its reset.
 *
 * @example
 * const collector = demoCollector('http://127.0.0.1:3000');
 * test.beforeEach(() => collector.reset());
 */
export interface DemoCollector extends TelemetrySource {
  /** Has the demo server flush its own isometer into the collector (`POST /api/collector/flush`). */
  flushPending(): Promise<void>;
  /** Clears everything the collector holds (`DELETE /api/collector`). */
  reset(): Promise<void>;
  /** The collector's raw state (`GET /api/collector/state`), for checks the matchers do not cover. */
  state(): Promise<unknown>;
}

/**
 * Reads the isometer demo's collector (node-demo) at `baseUrl`: by default only what the
 * server's own exporter sent, so a page and the server can be compared with `toShareTraceWith`.
 * An adapter over the demo's own state route (see `fromDemoCollectorState`); a server of your
 * own serves `{ points, spans }` and uses `serverCollector(url)` instead.
 *
 * @example
 * const server = demoCollector('http://127.0.0.1:3000');
 * await server.reset();
 * await expect(metrics).toShareTraceWith(server, { sampled: true });
 */
export function demoCollector(baseUrl: string, options: { origin?: DemoCollectorOrigin; label?: string } = {}): DemoCollector {
  const base = baseUrl.replace(/\/+$/, '');
  const origin = options.origin ?? 'server';
  const state = async (): Promise<unknown> => {
    const response = await fetch(`${base}/api/collector/state`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${base}/api/collector/state answered ${response.status} ${response.statusText}`);
    return response.json();
  };
  return {
    label: options.label ?? `demo collector (${origin === 'all' ? 'all origins' : `${origin} data`}, ${base})`,
    state,
    async collect() {
      return fromDemoCollectorState(await state(), origin);
    },
    async flushPending() {
      const response = await fetch(`${base}/api/collector/flush`, { method: 'POST' });
      if (!response.ok) throw new Error(`POST ${base}/api/collector/flush answered ${response.status} ${response.statusText}`);
    },
    async reset() {
      const response = await fetch(`${base}/api/collector`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`DELETE ${base}/api/collector answered ${response.status} ${response.statusText}`);
    },
  };
}
