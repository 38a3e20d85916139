import { fromViewerState, type ViewerSelection } from './from-viewer-state';
import type { TelemetrySource } from './telemetry-source';

/**
 * A running `npx isometer dev` viewer as a source, with its reset.
 *
 * @example
 * const viewer = devViewer('http://127.0.0.1:8976', { service: 'checkout-api' });
 * test.beforeEach(() => viewer.reset());
 */
export interface DevViewer extends TelemetrySource {
  /** Clears everything the viewer holds (`DELETE /api/state`). */
  reset(): Promise<void>;
  /** The viewer's raw state (`GET /api/state`), for checks the matchers do not cover. */
  state(): Promise<unknown>;
}

/**
 * Reads what a running viewer (`npx isometer dev`, or the one `npm run demo` starts) received
 * at `baseUrl`: by default the server side only (every sender that is not a browser SDK), so a
 * page and its backends can be compared with `toShareTraceWith`. `service` narrows it to one
 * service, `origin: 'all'` takes the browser's data too.
 *
 * @example
 * const server = devViewer('http://127.0.0.1:8976');
 * await server.reset();
 * await expect(metrics).toShareTraceWith(server, { sampled: true });
 */
export function devViewer(baseUrl: string, options: ViewerSelection & { label?: string } = {}): DevViewer {
  const base = baseUrl.replace(/\/+$/, '');
  const origin = options.origin ?? 'server';
  const state = async (): Promise<unknown> => {
    const response = await fetch(`${base}/api/state`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET ${base}/api/state answered ${response.status} ${response.statusText}`);
    return response.json();
  };
  const side = origin === 'all' ? 'all senders' : `${origin} data`;
  return {
    label: options.label ?? `isometer dev viewer (${options.service ? `service ${options.service}, ` : ''}${side}, ${base})`,
    state,
    async collect() {
      return fromViewerState(await state(), { origin, service: options.service });
    },
    async reset() {
      const response = await fetch(`${base}/api/state`, { method: 'DELETE' });
      if (!response.ok) throw new Error(`DELETE ${base}/api/state answered ${response.status} ${response.statusText}`);
    },
  };
}
