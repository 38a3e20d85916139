import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback server on another origin that answers every request and keeps its headers. */
export interface HeaderRecorder {
  /** `http://127.0.0.1:<port>`: another origin than the demo's (the port differs). */
  readonly origin: string;
  /** Headers of each request received (preflights included), in order. */
  readonly received: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/**
 * Starts the recorder on 127.0.0.1 and a free port. It allows any origin (CORS) but no extra
 * request headers, so a page that added trace headers would have its preflight refused; the
 * recorder keeps the preflight too, so such a page is still caught.
 *
 * @example
 * const recorder = await startHeaderRecorder();
 * await page.evaluate((url) => fetch(url), `${recorder.origin}/ping`);
 * recorder.received[0].headers['sentry-trace']; // → undefined
 */
export async function startHeaderRecorder(): Promise<HeaderRecorder> {
  const received: HeaderRecorder['received'] = [];
  const server = createServer((request, response) => {
    received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers });
    response.writeHead(request.method === 'OPTIONS' ? 204 : 200, { 'access-control-allow-origin': '*', 'content-type': 'text/plain' });
    response.end(request.method === 'OPTIONS' ? undefined : 'ok');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
