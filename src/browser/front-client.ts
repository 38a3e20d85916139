import { retireClient, type CarrierClient } from '../core/carrier';
import { debugLogger } from '../core/internal/debug-logger';
import { DropCounter, type DroppedCounts } from '../core/internal/drop-counter';
import { now, scheduleTimeout } from '../core/internal/runtime-globals';
import type { Client } from '../core/sdk/client';
import type { IntegrationClient } from '../core/sdk/integration';
import type { IsometerOptions, ResolvedOptions } from '../core/sdk/options';
import type { HttpClientRequest, finishHttpClientRequest } from '../core/trace/http-client-request';
import type { Span } from '../core/trace/span';
import type { TracingClient } from '../core/trace/tracing-client';
import type { BrowserClient } from './browser-client';
import { EarlyRecorder } from './early-recorder';

/** Ended spans kept at most while the engine loads (past it, each is counted as `queue_overflow`); as many as the Sentry glue keeps while it loads, and some. */
export const MAX_EARLY_SPANS = 2000;

/**
 * The page's client from `init` until its engine chunk (aggregation, exporters, delivery) has
 * loaded: metrics calls are kept by an `EarlyRecorder`, ended spans are kept too, and
 * integrations (fetch/XHR tracing, web vitals) set up against it at once. The engine hands it all
 * over to the real client (see engine.ts: kept here, that code would load up front), which then takes the front's place on the carrier, so later calls go
 * straight to the real aggregator. `flush`/`close` made meanwhile wait for the engine within
 * their timeout; every method keeps working (delegating) after the hand-over.
 */
export class FrontClient implements CarrierClient, IntegrationClient, TracingClient, BrowserClient {
  readonly drops = new DropCounter();
  readonly aggregator: EarlyRecorder;
  /** The real client, once the engine has loaded. */
  engine: Client | undefined;
  /** True once `close()` was called. */
  closed = false;
  /** Run on close, or handed to the engine's client (see engine.ts). */
  readonly cleanups: Array<() => void> = [];
  spans: Span[] = [];
  /** Settles `flush`/`close` calls waiting for the engine: with its client, or undefined if it failed. */
  arrived!: (client: Client | undefined) => void;
  /** The engine's request finisher, once it arrived (see `endRequest`). */
  finishRequest: typeof finishHttpClientRequest | undefined;
  /** Requests that ended before the engine arrived: request, status, error, and when (`now()`). */
  endedRequests: Array<[HttpClientRequest, number | undefined, unknown, number]> = [];
  private readonly ready = new Promise<Client | undefined>((resolve) => (this.arrived = resolve));

  /** `options` as validated up front (see `resolveFrontOptions`); `given`, what `init` was passed, for the engine to validate the rest. */
  constructor(
    readonly options: ResolvedOptions,
    readonly given: IsometerOptions | undefined,
  ) {
    this.aggregator = new EarlyRecorder(this.drops);
  }

  get isActive(): boolean {
    return this.engine ? this.engine.isActive : !this.closed;
  }

  onClose(cleanup: () => void): void {
    if (this.engine) this.engine.onClose(cleanup);
    else if (this.closed) cleanup();
    else this.cleanups.push(cleanup);
  }

  /**
   * Ends a request the page's fetch/XHR wiring timed (once): the engine's
   * `finishHttpClientRequest` records it, at the time it ended. Before the engine arrived it waits
   * here (as many as ended spans are kept; past that, its point is counted as `queue_overflow`);
   * the engine finishes the waiting ones first.
   */
  endRequest(request: HttpClientRequest, statusCode: number | undefined, error?: unknown): void {
    if (request.ended) return;
    request.ended = true;
    if (this.finishRequest) this.finishRequest(request, statusCode, error, now());
    else if (this.endedRequests.length < MAX_EARLY_SPANS) this.endedRequests.push([request, statusCode, error, now()]);
    else this.drops.record('queue_overflow');
  }

  onSpanEnd(span: Span): void {
    if (this.engine) this.engine.onSpanEnd(span);
    else if (this.closed || this.spans.length >= MAX_EARLY_SPANS) this.drops.record('queue_overflow');
    else this.spans.push(span);
  }

  getDroppedCounts(): DroppedCounts {
    return (this.engine ?? this).drops.snapshot();
  }

  flush(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    return this.engine ? this.engine.flush(timeoutMs) : this.whenEngine(timeoutMs, (client, remaining) => client.flush(remaining));
  }

  /** Closes at once (calls from now on are not kept); the engine, when it arrives, flushes what was kept and shuts down. */
  close(timeoutMs: number = this.options.exportTimeoutMs): Promise<boolean> {
    if (this.engine) return this.engine.close(timeoutMs);
    if (!this.closed) {
      this.closed = true;
      retireClient(this);
      for (const cleanup of this.cleanups.splice(0)) {
        try {
          cleanup();
        } catch (error) {
          debugLogger.internalError('close: cleanup', error);
        }
      }
    }
    return this.whenEngine(timeoutMs, (client, remaining) => client.close(remaining));
  }

  /**
   * `then(client, what is left of the timeout)` once the engine is in, or false once `timeoutMs`
   * has passed. Chained, not raced: `then` runs whenever the engine arrives (a late close still
   * shuts the client down).
   */
  private whenEngine(timeoutMs: number, then: (client: Client, remainingMs: number) => Promise<boolean>): Promise<boolean> {
    const deadline = now() + timeoutMs;
    const work = this.ready.then((client) => (client ? then(client, Math.max(1, deadline - now())) : false));
    return Promise.race([work.catch(() => false), new Promise<boolean>((resolve) => scheduleTimeout(() => resolve(false), timeoutMs))]);
  }
}
