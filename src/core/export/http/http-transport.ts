/**
 * The one thing a runtime supplies for HTTP delivery: sending one request. Retry, backoff, rate
 * limits, queueing and drop accounting live once in `createHttpDelivery`; Node implements this
 * seam on `node:http`, browsers on `fetch`/`sendBeacon` (the split Sentry makes between its
 * core `createTransport` and each runtime's `makeRequest`).
 */

/**
 * One POST. `body` is a string (OTLP JSON, an envelope), which the transport encodes as UTF-8, or
 * bytes sent as they are (OTLP protobuf, a compressed payload).
 */
export interface HttpRequest {
  url: string;
  body: string | Uint8Array;
  headers: Record<string, string>;
  /** Ask the runtime to let the request outlive the page (the page-hide path). */
  keepalive?: boolean;
  /** The body's size in bytes (UTF-8 for text), when the caller already knows it. */
  bytes?: number;
}

/** What delivery needs of a response: the status and the two headers that say when to come back. */
export interface HttpResponse {
  status: number;
  headers: {
    'retry-after'?: string | null;
    'x-sentry-rate-limits'?: string | null;
  };
}

/**
 * Sends requests. `send` resolves with any HTTP status (4xx and 5xx included) and rejects only
 * when no response came: a network error, a reset, a timeout.
 *
 * @example
 * const alwaysAccepted: HttpTransport = { send: async () => ({ status: 200, headers: {} }) };
 */
export interface HttpTransport {
  send(request: HttpRequest): Promise<HttpResponse>;
  /** Releases pooled sockets; called once when the exporter shuts down. */
  close?(): void;
  /**
   * True while the host is going away (a page at `pagehide`): delivery then sends everything it
   * holds at once, neither paced nor backed off, since there is no later.
   */
  leaving?(): boolean;
  /**
   * The request size the host sends best right now, read by an exporter each time it packs a
   * batch (its own `maxRequestBytes`, when given, wins). A page's transport asks for the keepalive
   * quota while the page is hidden or being left, and for one larger request while it is visible.
   */
  requestBytes?(): number | undefined;
}
