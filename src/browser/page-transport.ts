import { suppressTracing } from '../core/trace/suppress-tracing';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/export/http/http-transport';
import { utf8ByteLength } from '../core/internal/utf8-byte-length';
import { cancelTimeout, scheduleTimeout } from '../core/internal/runtime-globals';

/**
 * The Fetch standard (HTTP-network-or-cache fetch) fails a keepalive request whose body, added
 * to the bodies of keepalive requests still in flight, passes 64 KiB. A beacon is a keepalive
 * fetch too (Beacon API), so it draws on the same quota.
 */
export const KEEPALIVE_BUDGET_BYTES = 65_536;
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export interface FetchTransportOptions {
  /** Aborts a request still unanswered after this long (when `AbortController` exists). Default 10000 ms. */
  timeoutMs?: number;
}

type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/**
 * The HTTP transport for browsers (and any host with `fetch`, Node ≥ 18 included). While the
 * page is being hidden, or when the request asks for `keepalive`, it sends with
 * `fetch(…, { keepalive: true })` within the 64 KiB in-flight budget, and falls back to
 * `navigator.sendBeacon` when that budget is spent or `fetch` is missing; a beacon only goes
 * when the body fits and no header but `content-type` is needed, since a beacon carries no
 * headers. Everything is feature-detected; `send` never throws, it rejects on network errors.
 *
 * The `fetch` seen at creation is kept, so instrumentation installed later (trace-header
 * injection, APM wrappers) does not see or trace isometer's own exports.
 *
 * @example
 * otlpExporter({ endpoint: 'https://collector.example.com', transport: createPageTransport({ timeoutMs: 5000 }) });
 */
export function createPageTransport(options: FetchTransportOptions = {}): HttpTransport {
  const timeoutMs = typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_FETCH_TIMEOUT_MS;
  const fetchAtCreation = hostFetch();
  let keepaliveBytesInFlight = 0;

  const sendWithFetch = async (fetchFunction: FetchFunction, request: HttpRequest, keepalive: boolean, bytes: number): Promise<HttpResponse> => {
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = controller ? scheduleTimeout(() => controller.abort(), timeoutMs) : undefined;
    if (keepalive) keepaliveBytesInFlight += bytes;
    try {
      // Suppressed, so isometer's own request instrumentation neither traces nor tags an export.
      const response = await suppressTracing(() => fetchFunction(request.url, { method: 'POST', body: request.body as BodyInit, headers: request.headers, keepalive, signal: controller?.signal }));
      // Cancelling the unread body frees the connection for the next request.
      response.body?.cancel().catch(() => undefined);
      return { status: response.status, headers: { 'retry-after': readHeader(response, 'retry-after'), 'x-sentry-rate-limits': readHeader(response, 'x-sentry-rate-limits') } };
    } finally {
      cancelTimeout(timer);
      if (keepalive) keepaliveBytesInFlight -= bytes;
    }
  };

  return {
    send(request) {
      try {
        const fetchFunction = fetchAtCreation ?? hostFetch();
        const bytes = typeof request.body === 'string' ? utf8ByteLength(request.body) : request.body.byteLength;
        const leaving = request.keepalive === true || pageIsHidden();
        const keepaliveFits = keepaliveBytesInFlight + bytes <= KEEPALIVE_BUDGET_BYTES;
        if (fetchFunction && (!leaving || keepaliveFits)) return sendWithFetch(fetchFunction, request, leaving, bytes);
        if (bytes <= KEEPALIVE_BUDGET_BYTES && sendBeacon(request)) return Promise.resolve({ status: 202, headers: {} });
        if (fetchFunction) return sendWithFetch(fetchFunction, request, false, bytes);
        return Promise.reject(new Error('no fetch on this host, and navigator.sendBeacon is missing or refused the request'));
      } catch (error) {
        return Promise.reject(error);
      }
    },
  };
}

function hostFetch(): FetchFunction | undefined {
  const candidate = (globalThis as { fetch?: unknown }).fetch;
  return typeof candidate === 'function' ? (candidate.bind(globalThis) as FetchFunction) : undefined;
}

function pageIsHidden(): boolean {
  try {
    return typeof document !== 'undefined' && document.visibilityState === 'hidden';
  } catch {
    return false;
  }
}

/** True when the browser queued the beacon; false when it could not be used or refused. */
function sendBeacon(request: HttpRequest): boolean {
  try {
    const browserNavigator = (globalThis as { navigator?: Navigator }).navigator;
    if (!browserNavigator || typeof browserNavigator.sendBeacon !== 'function') return false;
    let contentType = 'text/plain;charset=UTF-8';
    for (const name of Object.keys(request.headers)) {
      if (name.toLowerCase() !== 'content-type') return false;
      contentType = request.headers[name];
    }
    const data = typeof Blob === 'function' ? new Blob([request.body as BlobPart], { type: contentType }) : (request.body as BodyInit);
    return browserNavigator.sendBeacon(request.url, data);
  } catch {
    // Browsers throw for some Blob types cross-origin; the caller then tries fetch.
    return false;
  }
}

function readHeader(response: Response, name: string): string | null {
  try {
    return typeof response.headers?.get === 'function' ? response.headers.get(name) : null;
  } catch {
    return null;
  }
}
