import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { scriptTagFile } from '../support/paths';

/** One OTLP/JSON metrics request as the collector saw it. */
export interface Arrival {
  bytes: number;
  /** The `series` attribute of every data point in it. */
  series: string[];
  /** The `Idempotency-Key` header: set only on a request an earlier page kept for its next load. */
  idempotencyKey?: string;
}

type OtlpJson = { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ sum?: { dataPoints: Array<{ attributes?: Array<{ key: string; value: { stringValue?: string } }> }> } }> }> }> };

/**
 * How long the collector takes to answer, preflights included: a real collector is not on
 * loopback, and a browser cancels a plain fetch with its page while it waits.
 */
const LATENCY_MS = 250;

/** Records every OTLP metrics request to `/collect/v1/metrics`; `waitForSeries` resolves once enough distinct series arrived. */
export class Collector {
  readonly arrivals: Arrival[] = [];
  /**
   * When set, a request without an `Idempotency-Key` (a page's own send, not one kept for a next
   * load) is never answered: the collector holds it until the browser cancels it with its page.
   * A test then knows which way a request in flight at `pagehide` went, whatever the machine's
   * speed; with an answer after a fixed latency, a page that leaves just as the answer comes
   * may or may not have seen it.
   */
  holdOwnSends = false;
  /** Requests held so far (their bodies read, never answered). */
  held = 0;
  private readonly listeners = new Set<() => void>();

  reset(): void {
    this.arrivals.length = 0;
    this.holdOwnSends = false;
    this.held = 0;
  }

  /** Resolves once `count` requests are held. */
  waitForHeld(count: number): Promise<void> {
    return this.waitFor(() => this.held >= count);
  }

  distinctSeries(): Set<string> {
    return new Set(this.arrivals.flatMap((arrival) => arrival.series));
  }

  waitForSeries(count: number): Promise<void> {
    return this.waitFor(() => this.distinctSeries().size >= count);
  }

  /** Re-checks every waiter (each removes itself once its condition holds). */
  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  private waitFor(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (!condition()) return;
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Handles the request when it is for the collector; false otherwise. */
  handle(request: IncomingMessage, response: ServerResponse, corsOrigin: string | undefined): boolean {
    if (!request.url?.startsWith('/collect/')) return false;
    if (corsOrigin !== undefined) {
      response.setHeader('access-control-allow-origin', corsOrigin);
      response.setHeader('access-control-allow-methods', 'POST');
      response.setHeader('access-control-allow-headers', 'content-type, idempotency-key');
    }
    if (request.method === 'OPTIONS') {
      setTimeout(() => response.writeHead(204).end(), LATENCY_MS);
      return true;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      const payload = JSON.parse(body.toString('utf8')) as OtlpJson;
      const series: string[] = [];
      for (const resource of payload.resourceMetrics)
        for (const scope of resource.scopeMetrics)
          for (const metric of scope.metrics)
            for (const point of metric.sum?.dataPoints ?? []) {
              const value = point.attributes?.find((attribute) => attribute.key === 'series')?.value.stringValue;
              if (value !== undefined) series.push(value);
            }
      const key = request.headers['idempotency-key'];
      if (this.holdOwnSends && key === undefined) {
        this.held++;
        this.notify();
        return;
      }
      setTimeout(() => {
        // A request the browser cancelled (its page went away) is not taken: the sender never
        // learns it arrived, so it would count as lost anyway.
        if (request.socket.destroyed) return;
        this.arrivals.push({ bytes: body.length, series, idempotencyKey: typeof key === 'string' ? key : undefined });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        this.notify();
      }, LATENCY_MS);
    });
    return true;
  }
}

/** The test page: isometer from the script-tag build, sending OTLP to the same origin or to `crossOrigin`. */
function pageHtml(crossOrigin: string): string {
  return `<!doctype html><meta charset="utf-8"><title>page endings</title>
<a id="next" href="/next">next</a>
<script src="/isometer.min.js"></script>
<script>
  const target = new URLSearchParams(location.search).get('collector');
  document.getElementById('next').href = '/next?collector=' + target;
  const endpoint = target === 'cross' ? '${crossOrigin}/collect' : '/collect';
  Isometer.init({ integrations: [], flushIntervalMs: 0, exporters: [Isometer.otlpExporter({ endpoint })] });
  addEventListener('pagehide', (event) => sessionStorage.setItem('pagehide.persisted', String(event.persisted)));
  addEventListener('pageshow', (event) => { if (event.persisted) sessionStorage.setItem('pageshow.persisted', 'true'); });
</script>`;
}

export interface EndingsServers {
  /** The page's origin; its collector is same-origin. */
  pageOrigin: string;
  /** Another origin (another port), whose collector answers CORS preflights. */
  crossOrigin: string;
  collector: Collector;
  close(): Promise<void>;
}

/** Starts the page server (with a same-origin collector) and a cross-origin collector, on loopback. */
export async function startEndingsServers(): Promise<EndingsServers> {
  const collector = new Collector();
  let pageOrigin = '';
  let crossOrigin = '';
  const pageServer = createServer((request, response) => {
    if (collector.handle(request, response, undefined)) return;
    const scriptFile = scriptTagFile(request.url);
    if (scriptFile !== undefined) {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(scriptFile));
      return;
    }
    // No-store would keep the page out of the back/forward cache in Chromium: allow caching.
    response.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(crossOrigin));
  });
  const crossServer = createServer((request, response) => {
    if (!collector.handle(request, response, pageOrigin)) response.writeHead(404).end();
  });
  pageOrigin = await listen(pageServer);
  crossOrigin = await listen(crossServer);
  return {
    pageOrigin,
    crossOrigin,
    collector,
    async close() {
      for (const server of [pageServer, crossServer]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
