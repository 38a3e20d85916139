import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** One request the harness server received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A loopback origin that serves one page (with the module under test) and records every other request. */
export interface BrowserHarness {
  readonly origin: string;
  readonly received: ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Bundles `entry` (TypeScript importing from src/, which assigns what the test needs to
 * `window`) for the browser, and serves it inside a page at `/` whose `<head>` holds `head`. Every
 * other request is answered 204 (CORS open) and recorded, so a spec sees what the page sent.
 *
 * @example
 * const harness = await startBrowserHarness(`import { createPageTransport } from './src/browser/page-transport'; (window as any).transport = createPageTransport();`);
 * await page.goto(harness.origin);
 */
export async function startBrowserHarness(entry: string, head = ''): Promise<BrowserHarness> {
  const bundled = await build({
    stdin: { contents: entry, resolveDir: REPO_ROOT, loader: 'ts', sourcefile: 'harness-entry.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  const script = bundled.outputFiles[0].text;
  const received: ReceivedRequest[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      if (request.method === 'GET' && path === '/') {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head>${head}</head><body><script>${script}</script></body></html>`);
        return;
      }
      const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST, GET' };
      if (request.method !== 'OPTIONS') received.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(204, cors).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
