import { suppressTracing } from '../../trace/suppress-tracing';
import { cancelTimeout, scheduleTimeout } from '../../internal/runtime-globals';
import type { HttpRequest, HttpResponse, HttpTransport } from './http-transport';

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export interface FetchTransportOptions {
  /** Aborts a request still unanswered after this long (when `AbortController` exists). Default 10000 ms. */
  timeoutMs?: number;
}

/** The parts of the Fetch API this transport uses, typed here so the core needs no DOM types. */
interface FetchResponseLike {
  status: number;
  headers?: { get?(name: string): string | null };
  body?: { cancel?(): Promise<unknown> } | null;
}
type FetchLike = (url: string, init: Record<string, unknown>) => Promise<FetchResponseLike>;
interface AbortControllerLike {
  signal: unknown;
  abort(): void;
}

/**
 * A plain `fetch` transport for any host that has `fetch` (workers, Deno, Node ≥ 18): one POST a
 * request, aborted after `timeoutMs`. Runtimes plug in their own (the page transport with
 * keepalive and `sendBeacon`, Node's `node:http` transport); this is what is left when none did.
 * The `fetch` seen at creation is kept, so instrumentation installed later does not see isometer's
 * own exports.
 *
 * @example
 * otlpExporter({ endpoint: 'https://collector.example.com', transport: createFetchTransport({ timeoutMs: 5000 }) });
 */
export function createFetchTransport(options: FetchTransportOptions = {}): HttpTransport {
  const timeoutMs = typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_FETCH_TIMEOUT_MS;
  const fetchAtCreation = hostFetch();
  return {
    async send(request: HttpRequest): Promise<HttpResponse> {
      const fetchFunction = fetchAtCreation ?? hostFetch();
      if (!fetchFunction) throw new Error('this host has no fetch; pass a transport');
      const Controller = (globalThis as { AbortController?: new () => AbortControllerLike }).AbortController;
      const controller = typeof Controller === 'function' ? new Controller() : undefined;
      const timer = controller ? scheduleTimeout(() => controller.abort(), timeoutMs) : undefined;
      try {
        // Suppressed, so isometer's own request instrumentation neither traces nor tags an export.
        const response = await suppressTracing(() =>
          fetchFunction(request.url, { method: 'POST', body: request.body, headers: request.headers, keepalive: request.keepalive === true, signal: controller?.signal }),
        );
        response.body?.cancel?.().catch(() => undefined);
        return { status: response.status, headers: { 'retry-after': readHeader(response, 'retry-after'), 'x-sentry-rate-limits': readHeader(response, 'x-sentry-rate-limits') } };
      } finally {
        cancelTimeout(timer);
      }
    },
  };
}

function hostFetch(): FetchLike | undefined {
  const candidate = (globalThis as { fetch?: unknown }).fetch;
  return typeof candidate === 'function' ? (candidate.bind(globalThis) as FetchLike) : undefined;
}

function readHeader(response: FetchResponseLike, name: string): string | null {
  try {
    return typeof response.headers?.get === 'function' ? response.headers.get(name) : null;
  } catch {
    return null;
  }
}
