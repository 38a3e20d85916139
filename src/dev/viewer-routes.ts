/**
 * The viewer's HTTP side, CORS open so browser SDKs can send to it directly:
 * - `POST /v1/metrics`, `POST /v1/traces`: OTLP/HTTP, protobuf or JSON;
 * - `POST /api/<project>/envelope/`: Sentry envelopes (`trace_metric`, `span`, `transaction`);
 * - `GET /api/state[?view=page&service=&attribute=]`: everything it holds, as JSON;
 * - `GET /api/events`: Server-Sent Events, an `update` after changes (throttled);
 * - `DELETE /api/state` (or `POST /api/reset`): clears it;
 * - `GET /`: the page; `GET /health`.
 * Bad input is answered with a 4xx and counted by reason in the state's `received.rejected`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ingestEnvelope, ingestOtlp, sentryKeyOf, type IngestOutcome } from './ingest-request';
import { BodyError, readRequestBody } from './read-request-body';
import { servePage } from './serve-page';
import type { ViewerStore } from './viewer-store';

/** At most one `update` event per this many ms per page. */
const EVENT_THROTTLE_MS = 400;
/** A comment line now and then keeps proxies from closing an idle event stream. */
const KEEPALIVE_MS = 15_000;
const ENVELOPE_PATH = /^\/api\/[^/]+\/envelope\/?$/;

/**
 * @example
 * const routes = createViewerRoutes(store);
 * http.createServer((req, res) => void routes.handle(req, res));
 */
export function createViewerRoutes(store: ViewerStore) {
  const streams = new Set<{ close(): void }>();

  async function ingest(req: IncomingMessage, res: ServerResponse, decode: (body: Buffer) => IngestOutcome): Promise<void> {
    let body: Buffer;
    try {
      body = await readRequestBody(req, store.limits.maxBodyBytes);
    } catch (error) {
      const reason = error instanceof BodyError ? error.reason : 'unreadable_body';
      store.reject(reason);
      return sendJson(res, reason === 'too_large' ? 413 : 400, { error: error instanceof Error ? error.message : String(error) }, { connection: 'close' });
    }
    const outcome = decode(body);
    if (!outcome.ok) {
      store.reject(outcome.reason);
      return sendJson(res, outcome.status, { error: outcome.message });
    }
    for (const batch of outcome.batches) store.ingest(batch);
    // OTLP/HTTP: a full success is 200 with an empty ExportServiceResponse, in the request's encoding.
    if (outcome.protobuf) {
      res.writeHead(200, { 'content-type': 'application/x-protobuf', ...CORS });
      res.end();
      return;
    }
    sendJson(res, 200, {});
  }

  function events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive', ...CORS });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ version: store.version() })}\n\n`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastSent = 0;
    const send = () => {
      timer = undefined;
      lastSent = Date.now();
      res.write(`event: update\ndata: ${JSON.stringify({ version: store.version() })}\n\n`);
    };
    const unsubscribe = store.subscribe(() => {
      if (timer === undefined) timer = setTimeout(send, Math.max(0, EVENT_THROTTLE_MS - (Date.now() - lastSent)));
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    const stream = {
      close() {
        clearTimeout(timer);
        clearInterval(keepalive);
        unsubscribe();
        streams.delete(stream);
        res.end();
      },
    };
    streams.add(stream);
    req.on('close', () => stream.close());
  }

  /** Answers every request (404 for unknown paths). */
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://viewer.invalid');
    const { pathname } = url;
    const method = req.method ?? 'GET';
    if (method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'access-control-allow-headers': String(req.headers['access-control-request-headers'] ?? '*'), 'access-control-max-age': '600' });
      res.end();
      return;
    }
    const isOtlp = pathname === '/v1/metrics' || pathname === '/v1/traces';
    if (isOtlp || ENVELOPE_PATH.test(pathname)) {
      if (method !== 'POST') return sendJson(res, 405, { error: `POST to ${pathname}` }, { allow: 'POST, OPTIONS' });
      const contentType = String(req.headers['content-type'] ?? '');
      if (isOtlp) return ingest(req, res, (body) => ingestOtlp(pathname === '/v1/metrics' ? 'metrics' : 'traces', body, contentType));
      return ingest(req, res, (body) => ingestEnvelope(body, sentryKeyOf(url, req.headers)));
    }
    if (pathname === '/api/state' && method === 'GET') {
      const view = url.searchParams.get('view') === 'page' ? 'page' : 'full';
      return sendJson(res, 200, store.state({ view, service: url.searchParams.get('service') || undefined, attribute: url.searchParams.get('attribute') || undefined }));
    }
    if ((pathname === '/api/state' && method === 'DELETE') || (pathname === '/api/reset' && method === 'POST')) {
      store.reset();
      return sendJson(res, 200, { ok: true, version: store.version() });
    }
    if (pathname === '/api/events' && method === 'GET') return events(req, res);
    if (pathname === '/health') return sendJson(res, 200, { ok: true });
    if (method === 'GET' && (await servePage(pathname, res))) return;
    sendJson(res, 404, { error: `no route ${method} ${pathname}` });
  }

  return {
    handle,
    /** Ends every open event stream (shutdown). */
    closeStreams(): void {
      for (const stream of [...streams]) stream.close();
    },
  };
}

/** Browser SDKs post from any origin; nothing the viewer serves needs credentials. */
const CORS = { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS', 'access-control-expose-headers': '*' };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...CORS, ...headers });
  res.end(JSON.stringify(body));
}
