import { suppressTracing } from '../core/trace/suppress-tracing';
import type { HttpRequest, HttpResponse, HttpTransport } from '../core/export/http/http-transport';
import { utf8ByteLength } from '../core/internal/utf8-byte-length';
import { cancelTimeout, scheduleTimeout } from '../core/internal/runtime-globals';
import { isPageHiddenOrLeaving, isPageLeaving } from './page-leaving';
import { storeUnsent } from './unsent-storage';
import { pageState } from './page-state';

/**
 * The Fetch standard (HTTP-network-or-cache fetch) fails a keepalive request whose body, added
 * to the bodies of keepalive requests still in flight, passes 64 KiB. A beacon is a keepalive
 * fetch too (Beacon API), so it draws on the same quota.
 */
export const KEEPALIVE_BUDGET_BYTES = 65_536;
/** Requests of a hidden or leaving page (and of the early flush): each fits the keepalive budget. */
export const KEEPALIVE_REQUEST_BYTES = 60_000;
/**
 * A visible page's request: a burst of series flushed at once goes as one plain fetch (every
 * request costs the page ≈ 1.5 ms of main-thread time, whatever its size), not as a train of
 * keepalive requests waiting on each other. At most this much, so that one still in flight at
 * `pagehide` can be kept for the next load: even a protobuf body as base64 (4/3 of it) fits
 * MAX_UNSENT_CHARS.
 */
export const VISIBLE_REQUEST_BYTES = 360_000;
export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export interface FetchTransportOptions {
  /** Aborts a request still unanswered after this long (when `AbortController` exists). Default 10000 ms. */
  timeoutMs?: number;
}

type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

/** A plain (not keepalive) fetch still in flight: kept for the next load if the page goes away under it. */
interface PlainRequest {
  request: HttpRequest;
  keep(): void;
}
const plainInFlight = pageState.plainInFlight;

/**
 * At `pagehide`: every plain fetch still in flight (the browser cancels those with the page) is
 * aborted and kept in storage for the next load instead; its send resolves as accepted (202),
 * so delivery neither retries it nor counts it lost.
 */
export function keepPlainRequestsForNextLoad(): void {
  for (const plain of [...plainInFlight]) plain.keep();
  wakeBudgetWaiters();
}

/** Sends waiting for keepalive budget (each with its body's size): woken when a keepalive request ends, or when the page leaves. */
const budgetWaiters = pageState.budgetWaiters;

/**
 * Wakes, in the order they came, the waiting sends whose bodies fit the budget now free (all of
 * them when the page is leaving); the others keep waiting, on the timer they already have.
 */
function wakeBudgetWaiters(): void {
  let free = KEEPALIVE_BUDGET_BYTES - pageState.keepaliveBytesInFlight;
  const leaving = isPageLeaving();
  for (const [wake, bytes] of [...budgetWaiters]) {
    if (!leaving && bytes > free) continue;
    free -= bytes;
    wake();
  }
}

/** How long a send of a live page waits for keepalive budget before it goes as a plain fetch. */
export const KEEPALIVE_WAIT_MS = 5000;

/** Resolves when `bytes` may fit the budget (or the page is leaving): true, or false after `KEEPALIVE_WAIT_MS`. */
function waitForKeepaliveBudget(bytes: number): Promise<boolean> {
  return new Promise((resolve) => {
    const wake = (freed: boolean) => (): void => {
      budgetWaiters.delete(onWake);
      cancelTimeout(timer);
      resolve(freed);
    };
    const onWake = wake(true);
    budgetWaiters.set(onWake, bytes);
    const timer = scheduleTimeout(wake(false), KEEPALIVE_WAIT_MS);
  });
}

/**
 * The HTTP transport for browsers (and any host with `fetch`, Node ≥ 18 included). A request
 * goes as `fetch(…, { keepalive: true })` whenever it fits the 64 KiB keepalive budget (so it
 * survives a navigation that starts while it is in flight); past the budget, a hidden or leaving
 * page tries `navigator.sendBeacon`, a page at `pagehide` keeps the request in storage for its
 * next load (see unsent-storage.ts), and a live page sends a plain fetch. Exporters pack to the
 * size it asks for (`requestBytes`): keepalive-sized while the page is hidden or being left, one
 * larger request while it is visible, which goes as a plain fetch when past the budget; one still
 * in flight at `pagehide` is kept for the next load. A beacon only goes
 * when no header but `content-type` is needed, since a beacon carries no headers. Everything is
 * feature-detected; `send` never throws, it rejects on network errors.
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

  const sendWithFetch = async (fetchFunction: FetchFunction, request: HttpRequest, keepalive: boolean, bytes: number): Promise<HttpResponse> => {
    const controller = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = controller ? scheduleTimeout(() => controller.abort(), timeoutMs) : undefined;
    let kept = false;
    const plain: PlainRequest = {
      request,
      keep() {
        plainInFlight.delete(plain);
        if (!controller || !storeUnsent(request)) return;
        kept = true;
        controller.abort();
      },
    };
    if (keepalive) pageState.keepaliveBytesInFlight += bytes;
    else plainInFlight.add(plain);
    try {
      // Suppressed, so isometer's own request instrumentation neither traces nor tags an export.
      const response = await suppressTracing(() => fetchFunction(request.url, { method: 'POST', body: fetchBody(request.body), headers: request.headers, keepalive, signal: controller?.signal }));
      // Chromium gives a keepalive request's quota back when the request has finished, after its
      // response promise resolves: the (small) body is read to its end before the budget below is
      // freed, or the next keepalive fetch is refused ("Failed to fetch") and retried. A plain
      // fetch's unread body is cancelled, which frees the connection for the next request.
      if (keepalive) await response.arrayBuffer().catch(() => undefined);
      else response.body?.cancel().catch(() => undefined);
      return { status: response.status, headers: { 'retry-after': readHeader(response, 'retry-after'), 'x-sentry-rate-limits': readHeader(response, 'x-sentry-rate-limits') } };
    } catch (error) {
      if (kept) return KEPT_FOR_NEXT_LOAD;
      throw error;
    } finally {
      cancelTimeout(timer);
      if (keepalive) {
        pageState.keepaliveBytesInFlight -= bytes;
        wakeBudgetWaiters();
      } else plainInFlight.delete(plain);
    }
  };

  const send = (request: HttpRequest, mayWait: boolean): Promise<HttpResponse> => {
    try {
      const fetchFunction = fetchAtCreation ?? hostFetch();
      const bytes = bodyBytes(request);
      const fits = bytes <= KEEPALIVE_BUDGET_BYTES;
      if (fetchFunction && pageState.keepaliveBytesInFlight + bytes <= KEEPALIVE_BUDGET_BYTES) return sendWithFetch(fetchFunction, request, true, bytes);
      const hidden = request.keepalive === true || isPageHiddenOrLeaving();
      if (hidden && fits && sendBeacon(request)) return Promise.resolve({ status: 202, headers: {} });
      if (isPageLeaving() && storeUnsent(request)) return Promise.resolve(KEPT_FOR_NEXT_LOAD);
      // A live page waits for the keepalive requests ahead of it (loopback or not, they take
      // milliseconds) rather than send a plain fetch that a navigation would cancel.
      if (fetchFunction && fits && mayWait && !hidden) return waitForKeepaliveBudget(bytes).then((freed) => send(request, freed));
      if (fetchFunction) return sendWithFetch(fetchFunction, request, false, bytes);
      return Promise.reject(new Error('no fetch on this host, and navigator.sendBeacon is missing or refused the request'));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  return {
    send: (request) => send(request, true),
    leaving: isPageLeaving,
    requestBytes: pageRequestBytes,
  };
}

/**
 * The size an exporter packs a page's batch to: the keepalive budget while the page is hidden or
 * being left (each request then outlives the page) or while the early flush runs (a burst that
 * may be followed by a navigation), else one request of up to VISIBLE_REQUEST_BYTES.
 */
export function pageRequestBytes(): number {
  return isPageHiddenOrLeaving() || (pageState.keepaliveSizedFlushes ?? 0) > 0 ? KEEPALIVE_REQUEST_BYTES : VISIBLE_REQUEST_BYTES;
}

/**
 * A text body goes to `fetch` as a Blob: Chromium takes a 260 KB string body for some 3 ms more
 * main-thread time than a Blob of the same text (measured by the browser bench), and the bytes
 * sent are the same UTF-8. The request's own `content-type` header still says what it is.
 */
function fetchBody(body: HttpRequest['body']): BodyInit {
  return typeof body === 'string' && typeof Blob === 'function' ? new Blob([body]) : (body as BodyInit);
}

/** What a send kept in storage for the next load resolves with: accepted, to be delivered later. */
const KEPT_FOR_NEXT_LOAD: HttpResponse = { status: 202, headers: {} };

/** The body's size against the keepalive budget: delivery's count when it gives one, else measured. */
function bodyBytes(request: HttpRequest): number {
  if (typeof request.body !== 'string') return request.body.byteLength;
  return typeof request.bytes === 'number' && request.bytes >= request.body.length ? request.bytes : utf8ByteLength(request.body);
}

function hostFetch(): FetchFunction | undefined {
  const candidate = (globalThis as { fetch?: unknown }).fetch;
  return typeof candidate === 'function' ? (candidate.bind(globalThis) as FetchFunction) : undefined;
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
