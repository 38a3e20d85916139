import type { Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenForStatsd } from './statsd-listener';
import type { ViewerLimits } from './viewer-limits';
import { createViewerRoutes } from './viewer-routes';
import { createViewerStore, type ViewerStore } from './viewer-store';

/** Options of `startViewer`. */
export interface ViewerOptions {
  /** Default 8976; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A UDP port for StatsD/DogStatsD datagrams; none by default. */
  statsdPort?: number;
  limits?: Partial<ViewerLimits>;
}

/** A running viewer. */
export interface Viewer {
  /** `http://127.0.0.1:8976` */
  url: string;
  port: number;
  /** The bound StatsD port, when `statsdPort` was given. */
  statsdPort?: number;
  store: ViewerStore;
  /** The viewer's request handler, to mount it in another server (the demo forwards its pages' tunnel to it). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Stops listening and ends open event streams. */
  close(): Promise<void>;
}

/** The viewer's default port (`npx isometer dev`). */
export const DEFAULT_VIEWER_PORT = 8976;

/**
 * Starts the local viewer: HTTP ingest and page on `port`, and StatsD on `statsdPort` if given.
 * Rejects when a port cannot be bound.
 *
 * @example
 * const viewer = await startViewer({ port: 0 });
 * console.log(`OTEL_EXPORTER_OTLP_ENDPOINT=${viewer.url}`);
 * await viewer.close();
 */
export async function startViewer(options: ViewerOptions = {}): Promise<Viewer> {
  const host = options.host ?? '127.0.0.1';
  const store = createViewerStore(options.limits);
  const routes = createViewerRoutes(store);
  const handle = (req: IncomingMessage, res: ServerResponse) =>
    routes.handle(req, res).catch((error: unknown) => {
      // A bug in one request's handling must not end the viewer.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`viewer error: ${error instanceof Error ? error.message : String(error)}`);
    });
  const server = createServer((req, res) => void handle(req, res));
  // Started inside an instrumented app (the demo does that), the viewer must not trace its own
  // requests: every page refresh would be a trace in it. SDKs instrument servers by patching
  // `http.Server.prototype.emit`; this server's own `emit` goes around them.
  server.emit = function emit(this: typeof server, event: string | symbol, ...args: unknown[]): boolean {
    return EventEmitter.prototype.emit.call(this, event, ...args);
  } as typeof server.emit;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? DEFAULT_VIEWER_PORT, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let statsd: Socket | undefined;
  try {
    if (options.statsdPort !== undefined) statsd = await listenForStatsd(store, options.statsdPort, host);
  } catch (error) {
    server.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const name = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${name}:${port}`,
    port,
    statsdPort: statsd ? statsd.address().port : undefined,
    store,
    handle,
    async close() {
      routes.closeStreams();
      statsd?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
