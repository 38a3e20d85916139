/**
 * The collector's HTTP side:
 * - `POST /collect/v1/metrics`, `POST /collect/v1/traces`: the page's tunnel, OTLP/HTTP JSON
 *   (the pages use `otlpExporter({ endpoint: origin + '/collect' })`);
 * - `GET /api/collector/state[?view=dashboard]`: everything it holds, as JSON;
 * - `GET /api/collector/events`: Server-Sent Events, an `update` after every change (throttled);
 * - `DELETE /api/collector` or `POST /api/collector/reset`: clears it;
 * - `POST /api/collector/flush`: the server's own isometer flushes, so everything it recorded
 *   so far is in the collector (what isometer/playwright's fixture does as each test starts).
 */
import { HttpError, readBody, sendJson } from '../http-helpers.mjs';
import { decodeOtlpMetrics, decodeOtlpSpans } from './otlp-decode.mjs';

/** At most one `update` event per this many ms per dashboard. */
const EVENT_THROTTLE_MS = 400;
/** A comment line now and then keeps proxies from closing an idle event stream. */
const KEEPALIVE_MS = 15_000;

/**
 * @param {{ flush?: () => Promise<boolean> }} [options] `flush`: the server's isometer `flush`.
 * @returns {{ handle(req, res, url): Promise<boolean>, closeStreams(): void }}
 *   `handle` answers the collector's routes and returns false for any other.
 */
export function createCollectorRoutes(store, options = {}) {
  const streams = new Set();

  async function tunnel(req, res, signal) {
    const contentType = String(req.headers['content-type'] ?? '');
    // OTLP/HTTP also allows protobuf; isometer sends JSON, and so do these pages.
    if (contentType.includes('protobuf')) {
      store.reject('unsupported_content_type');
      return sendJson(res, 415, { error: 'this collector takes OTLP/HTTP JSON only' });
    }
    let body;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 400;
      store.reject(status === 413 ? 'too_large' : 'invalid_json');
      return sendJson(res, status, { error: status === 413 ? 'request too large' : 'the body is not OTLP JSON' });
    }
    if (signal === 'metrics') {
      for (const batch of decodeOtlpMetrics(body)) store.addMetrics('browser', batch.service, batch.points);
    } else {
      for (const batch of decodeOtlpSpans(body)) store.addSpans('browser', batch.service, batch.spans);
    }
    // OTLP/HTTP: a full success is 200 with an empty (or no) partialSuccess.
    return sendJson(res, 200, {});
  }

  function events(req, res) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 2000\nevent: hello\ndata: ${JSON.stringify({ version: store.version() })}\n\n`);
    let timer;
    let lastSent = 0;
    const send = () => {
      timer = undefined;
      lastSent = Date.now();
      res.write(`event: update\ndata: ${JSON.stringify({ version: store.version() })}\n\n`);
    };
    const unsubscribe = store.subscribe(() => {
      if (timer !== undefined) return;
      timer = setTimeout(send, Math.max(0, EVENT_THROTTLE_MS - (Date.now() - lastSent)));
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

  async function handle(req, res, url) {
    const { pathname } = url;
    const method = req.method ?? 'GET';
    if (pathname === '/collect/v1/metrics' || pathname === '/collect/v1/traces') {
      if (method === 'OPTIONS') {
        res.writeHead(204, { allow: 'POST, OPTIONS' });
        res.end();
        return true;
      }
      if (method !== 'POST') {
        sendJson(res, 405, { error: 'POST OTLP/HTTP JSON here' }, { allow: 'POST' });
        return true;
      }
      await tunnel(req, res, pathname.endsWith('metrics') ? 'metrics' : 'traces');
      return true;
    }
    if (pathname === '/api/collector/state' && method === 'GET') {
      sendJson(res, 200, store.state({ view: url.searchParams.get('view') ?? 'full' }));
      return true;
    }
    if (pathname === '/api/collector/events' && method === 'GET') {
      events(req, res);
      return true;
    }
    if (pathname === '/api/collector/flush' && method === 'POST') {
      sendJson(res, 200, { ok: options.flush ? await options.flush() : false });
      return true;
    }
    if ((pathname === '/api/collector' && method === 'DELETE') || (pathname === '/api/collector/reset' && method === 'POST')) {
      store.reset();
      sendJson(res, 200, { ok: true, version: store.version() });
      return true;
    }
    return false;
  }

  return {
    handle,
    /** Ends every open event stream (server shutdown). */
    closeStreams() {
      for (const stream of [...streams]) stream.close();
    },
  };
}
