import { debugLogger } from '../../internal/debug-logger';
import { yieldToHost } from '../../internal/yield-to-host';
import { cancelTimeout, now, scheduleTimeout, type TimerHandle } from '../../internal/runtime-globals';
import { BoundedQueue } from './bounded-queue';
import type { DropReason } from '../../internal/drop-counter';
export type { DropRecorder } from '../../internal/drop-counter';
import type { HttpResponse, HttpTransport } from './http-transport';
import { createRateLimits } from './rate-limits';
import { createRetryPolicy, type RetryPolicyOptions } from './retry-policy';
import { utf8ByteLength } from '../../internal/utf8-byte-length';
import { errorMessage } from '../../internal/error-message';

import type { DropRecorder } from '../../internal/drop-counter';

/** One payload to deliver. */
export interface DeliveryRequest {
  url: string;
  /** Text goes as UTF-8 (JSON, envelopes); bytes as they are (protobuf, a compressed body). */
  body: string | Uint8Array;
  /** The body's size in bytes when the caller knows it from encoding (else it is measured here, once). */
  bytes?: number;
  headers: Record<string, string>;
  /** The rate-limit category (a Sentry data category: `span`, `trace_metric`, …). Default `default`. */
  category?: string;
  /** How many data points or spans the body carries: what a drop of it counts. Default 1. */
  items?: number;
  /** Passed to the transport: the request should outlive the page. */
  keepalive?: boolean;
  /** Where a drop of this request is counted: the export call's `context.drops`. Default: the delivery's own. */
  drops?: DropRecorder;
}

/**
 * Requests made on demand: the delivery asks for the next one only when its queue has room, so
 * a large batch is encoded as it is sent and cannot push its own first requests out of the queue.
 */
export interface DeliverySource {
  /**
   * Encodes and returns the next request; undefined when none is left; null when it is encoding
   * one across turns and this turn's budget is spent (asked again after the host's turn). A throw
   * drops the rest (counted).
   */
  next(): DeliveryRequest | undefined | null;
  /** Items (points, spans) not yet handed out: what a drop of the source counts. */
  remaining(): number;
  /** Where a drop of what is left is counted. Default: the delivery's own. */
  drops?: DropRecorder;
}

/** The knobs every HTTP exporter shares. */
export interface DeliveryTuning extends RetryPolicyOptions {
  /** Requests waiting to be sent (in-flight ones not included). Default 64. */
  maxQueueItems?: number;
  /** Bytes of waiting request bodies. Default 4 MiB. */
  maxQueueBytes?: number;
  /** Items waiting in sources, not yet encoded; past it the oldest sources are dropped (counted). Default 200000. */
  maxBacklogItems?: number;
  /** Requests in flight at once. Default 4. */
  maxConcurrentRequests?: number;
  /** A transport promise still pending after this long counts as a network error. Default 30000 ms. */
  sendTimeoutMs?: number;
}

export interface HttpDeliveryOptions extends DeliveryTuning {
  transport: HttpTransport;
  /** Where drops of requests that name no `drops` of their own are counted. */
  drops?: DropRecorder;
  /** Names the exporter in warnings. */
  name?: string;
}

/** A queue that sends, retries and counts. Nothing it does throws or rejects. */
export interface HttpDelivery {
  /** Queues a request and starts sending; false when it was dropped at once (and counted). */
  enqueue(request: DeliveryRequest): boolean;
  /** Queues a source of requests, pulled as the queue drains; false when it was dropped at once (and counted). */
  enqueueSource(source: DeliverySource): boolean;
  /**
   * Resolves true once nothing waits or is in flight and nothing was dropped meanwhile; false when
   * something was dropped, or when draining cannot happen within `timeoutMs`.
   */
  flush(timeoutMs?: number): Promise<boolean>;
  /** Flushes, then drops (and counts) whatever is left; later requests are refused. */
  close(timeoutMs?: number): Promise<boolean>;
  /** Requests waiting or in flight, and their body bytes. */
  pending(): { requests: number; bytes: number };
}

export const DEFAULT_MAX_QUEUE_ITEMS = 64;
export const DEFAULT_MAX_QUEUE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 4;
export const DEFAULT_MAX_BACKLOG_ITEMS = 200_000;
export const DEFAULT_SEND_TIMEOUT_MS = 30_000;
export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;

interface Entry {
  request: DeliveryRequest;
  category: string;
  bytes: number;
  items: number;
  retries: number;
  lastFailure?: DropReason;
}

interface Waiter {
  deadline: number;
  /** `dropped` when the flush began: a flush that saw drops reports false. */
  droppedBefore: number;
  timer: TimerHandle;
  settle(ok: boolean): void;
}

/**
 * Delivery, once, for every HTTP exporter: a queue bounded by requests and bytes that drops the
 * oldest on overflow; retries with exponential backoff and full jitter on network errors,
 * timeouts, 408, 429 and 5xx; `Retry-After` and `X-Sentry-Rate-Limits` pause the categories they
 * name; other 4xx are dropped. Every drop is counted by reason: `queue_overflow`, `export_error`,
 * `rate_limited` (retries used up on 429s, or still paused at close), `network_error` (retries
 * used up otherwise), `export_timeout` (never sent before close). Runtimes supply only the transport.
 *
 * @example
 * const delivery = createHttpDelivery({ transport: createFetchTransport(), drops: new DropCounter() });
 * delivery.enqueue({ url: 'http://localhost:4318/v1/metrics', body, headers: { 'content-type': 'application/json' }, category: 'trace_metric', items: 12 });
 * await delivery.flush(5000);
 */
export function createHttpDelivery(options: HttpDeliveryOptions): HttpDelivery {
  const name = typeof options.name === 'string' ? options.name : 'http';
  const policy = createRetryPolicy(options);
  const rateLimits = createRateLimits();
  const queue = new BoundedQueue<Entry>(positive(options.maxQueueItems, DEFAULT_MAX_QUEUE_ITEMS, 'maxQueueItems', true), positive(options.maxQueueBytes, DEFAULT_MAX_QUEUE_BYTES, 'maxQueueBytes'));
  const maxConcurrent = positive(options.maxConcurrentRequests, DEFAULT_MAX_CONCURRENT_REQUESTS, 'maxConcurrentRequests', true);
  const sendTimeoutMs = positive(options.sendTimeoutMs, DEFAULT_SEND_TIMEOUT_MS, 'sendTimeoutMs');
  const maxBacklogItems = positive(options.maxBacklogItems, DEFAULT_MAX_BACKLOG_ITEMS, 'maxBacklogItems', true);
  const maxQueueBytes = queue.maxBytes;
  const sources: DeliverySource[] = [];
  const inFlight = new Set<Entry>();
  /** In flight when the delivery closed: counted then, so whatever they come to later is not counted again. */
  const abandoned = new WeakSet<Entry>();
  const waiters = new Set<Waiter>();
  let backoffUntil = 0;
  let wakeTimer: TimerHandle;
  let wakeAt = Infinity;
  let closed = false;
  let dropped = 0;
  /** A source said null: the queue is fed again after the host's turn (meanwhile, waiters wait). */
  let feedLater = false;

  const drop = (entries: Entry[], reason: DropReason, why: string): void => {
    for (const entry of entries) {
      dropped++;
      try {
        (entry.request.drops ?? options.drops)?.record(reason, entry.items);
      } catch (error) {
        debugLogger.internalError(`${name}: counting a drop`, error);
      }
      debugLogger.log(`${name}: dropped ${entry.items} item(s) to ${entry.request.url} (${reason}: ${why})`);
    }
    if (entries.length > 0) debugLogger.warnOnce(`delivery:${name}:${reason}`, `${name} exporter dropped data (${reason}: ${why}); getDroppedCounts() counts every drop.`);
  };

  const dropSource = (source: DeliverySource, reason: DropReason, why: string): void => {
    let items = 0;
    try {
      items = source.remaining();
    } catch (error) {
      debugLogger.internalError(`${name}: a source`, error);
    }
    if (items > 0) drop([toEntry({ url: '', body: '', headers: {}, items, drops: source.drops }, 0)], reason, why);
  };

  /**
   * Pulls requests from the sources while fewer than `maxConcurrent` wait and what waits or is in
   * flight is under half the queue's bytes: encoding keeps pace with sending, and requests in
   * flight keep room to come back for a retry without evicting anything. An empty queue is always
   * fed, so requests larger than that still flow.
   */
  const feed = (): void => {
    while (!feedLater && sources.length > 0 && (queue.size === 0 || (queue.size < maxConcurrent && queue.bytes + inFlightBytes() < maxQueueBytes / 2))) {
      let request: DeliveryRequest | undefined | null;
      try {
        request = sources[0].next();
      } catch (error) {
        debugLogger.internalError(`${name}: encoding`, error);
        dropSource(sources.shift()!, 'export_error', 'the batch could not be encoded');
        continue;
      }
      if (request === null) {
        feedLater = true;
        void yieldToHost().then(() => {
          feedLater = false;
          pump();
        });
      } else if (request === undefined) sources.shift();
      else push({ ...request, drops: request.drops ?? sources[0].drops });
    }
  };

  const inFlightBytes = (): number => {
    let bytes = 0;
    for (const entry of inFlight) bytes += entry.bytes;
    return bytes;
  };

  const push = (request: DeliveryRequest): boolean => {
    const entry = toEntry(request, bodyBytes(request));
    const evicted = queue.push(entry, entry.bytes);
    if (evicted[0] === entry) {
      drop(evicted, 'queue_overflow', `one request of ${entry.bytes} bytes exceeds maxQueueBytes`);
      return false;
    }
    // Only when something was evicted: `drop` is left uncompiled in a page that never drops.
    if (evicted.length > 0) drop(evicted, 'queue_overflow', 'the queue was full; the oldest requests were dropped');
    return true;
  };

  const readyAt = (entry: Entry, at: number): number => Math.max(backoffUntil, at + rateLimits.remainingMs(entry.category));

  const nextReadyAt = (): number => {
    const at = now();
    let earliest = Infinity;
    for (const entry of queue.items()) earliest = Math.min(earliest, readyAt(entry, at));
    return earliest;
  };

  const scheduleWake = (): void => {
    const at = queue.size > 0 && inFlight.size < maxConcurrent ? nextReadyAt() : Infinity;
    if (at === wakeAt) return;
    cancelTimeout(wakeTimer);
    wakeTimer = undefined;
    wakeAt = at;
    if (at !== Infinity) {
      wakeTimer = scheduleTimeout(
        () => {
          wakeAt = Infinity;
          wakeTimer = undefined;
          pump();
        },
        Math.max(0, at - now()),
      );
    }
  };

  const settleWaiters = (): void => {
    if (waiters.size === 0) return;
    if (queue.size === 0 && inFlight.size === 0 && sources.length === 0) {
      for (const waiter of [...waiters]) waiter.settle(dropped === waiter.droppedBefore);
      return;
    }
    if (inFlight.size > 0 || feedLater) return;
    // Nothing is in flight and nothing may be sent before these deadlines: they cannot be met.
    const earliest = nextReadyAt();
    for (const waiter of [...waiters]) if (waiter.deadline < earliest) waiter.settle(false);
  };

  const retryOrDrop = (entry: Entry, reason: DropReason, why: string, paused: boolean): void => {
    entry.retries++;
    entry.lastFailure = reason;
    if (closed || entry.retries > policy.maxRetries) {
      drop([entry], reason, closed ? `${why}, after close` : `${why}, ${policy.maxRetries} retries used up`);
      return;
    }
    // A pause the backend asked for replaces the backoff; otherwise the whole queue backs off,
    // since a failing backend fails every request alike.
    if (!paused) backoffUntil = Math.max(backoffUntil, now() + policy.backoffMs(entry.retries));
    drop(queue.unshift(entry, entry.bytes), 'queue_overflow', 'the queue was full while a request waited to be retried');
  };

  const onResponse = (entry: Entry, response: HttpResponse): void => {
    const paused = rateLimits.update(response, entry.category);
    const verdict = policy.classify(response.status);
    if (verdict === 'reject') drop([entry], 'export_error', `HTTP ${response.status}`);
    else if (verdict === 'retry') retryOrDrop(entry, response.status === 429 ? 'rate_limited' : 'network_error', `HTTP ${response.status}`, paused);
  };

  const send = (entry: Entry): void => {
    inFlight.add(entry);
    let settled = false;
    const complete = (handle: () => void): void => {
      if (settled) return;
      settled = true;
      cancelTimeout(watchdog);
      inFlight.delete(entry);
      if (abandoned.has(entry)) return;
      try {
        handle();
      } catch (error) {
        debugLogger.internalError(`${name}: handling a response`, error);
      }
      pump();
    };
    const fail = (why: string) => () => retryOrDrop(entry, 'network_error', why, false);
    const watchdog = scheduleTimeout(() => complete(fail(`no response within ${sendTimeoutMs} ms`)), sendTimeoutMs);
    let sent: Promise<HttpResponse>;
    try {
      const { url, body, headers, keepalive } = entry.request;
      sent = Promise.resolve(options.transport.send({ url, body, headers, keepalive, bytes: entry.bytes }));
    } catch (error) {
      sent = Promise.reject(error);
    }
    sent.then(
      (response) => {
        const status = typeof response === 'object' && response !== null ? response.status : undefined;
        if (typeof status !== 'number') return complete(fail('the transport resolved without a status'));
        const headers = typeof response.headers === 'object' && response.headers !== null ? response.headers : {};
        complete(() => onResponse(entry, { status, headers }));
      },
      (error: unknown) => complete(fail(errorMessage(error))),
    );
  };

  const leaving = (): boolean => {
    try {
      return options.transport.leaving?.() === true;
    } catch {
      return false;
    }
  };

  const pump = (): void => {
    try {
      feed();
      // A page being left gets no later turn: everything goes now, within the transport's own
      // keepalive budget (what does not fit is the transport's to keep for the next load).
      const last = leaving();
      while (last || (inFlight.size < maxConcurrent && backoffUntil <= now())) {
        const next = queue.find((entry) => rateLimits.remainingMs(entry.category) === 0);
        if (next === undefined) break;
        queue.remove(next);
        send(next);
        feed();
      }
      scheduleWake();
      settleWaiters();
    } catch (error) {
      debugLogger.internalError(`${name}: sending`, error);
    }
  };

  const flush = (timeoutMs: number = DEFAULT_FLUSH_TIMEOUT_MS): Promise<boolean> =>
    new Promise<boolean>((resolve) => {
      try {
        if (queue.size === 0 && inFlight.size === 0 && sources.length === 0) return resolve(true);
        const wait = typeof timeoutMs === 'number' && timeoutMs >= 0 ? timeoutMs : DEFAULT_FLUSH_TIMEOUT_MS;
        const waiter: Waiter = {
          deadline: now() + wait,
          droppedBefore: dropped,
          timer: undefined,
          settle(ok) {
            if (!waiters.delete(waiter)) return;
            cancelTimeout(waiter.timer);
            resolve(ok);
          },
        };
        waiters.add(waiter);
        waiter.timer = scheduleTimeout(() => waiter.settle(false), wait);
        pump();
      } catch (error) {
        debugLogger.internalError(`${name}: flush`, error);
        resolve(false);
      }
    });

  return {
    enqueue(request) {
      try {
        if (closed) {
          drop([toEntry(request, 0)], 'export_error', 'the exporter was shut down');
          return false;
        }
        if (!request || typeof request.url !== 'string' || (typeof request.body !== 'string' && !(request.body instanceof Uint8Array))) {
          debugLogger.warnOnce(`delivery:${name}:request`, `${name}: a request needs a string url and a string or Uint8Array body; it was dropped.`);
          return false;
        }
        const queued = push(request);
        pump();
        return queued;
      } catch (error) {
        debugLogger.internalError(`${name}: enqueue`, error);
        return false;
      }
    },
    enqueueSource(source) {
      try {
        if (closed) {
          dropSource(source, 'export_error', 'the exporter was shut down');
          return false;
        }
        sources.push(source);
        // The newest source always stays: one batch never evicts itself.
        let backlog = 0;
        for (const waiting of sources) backlog += waiting.remaining();
        while (backlog > maxBacklogItems && sources.length > 1) {
          const oldest = sources.shift()!;
          backlog -= oldest.remaining();
          dropSource(oldest, 'queue_overflow', `more than ${maxBacklogItems} items waited to be sent`);
        }
        pump();
        return true;
      } catch (error) {
        debugLogger.internalError(`${name}: enqueue`, error);
        return false;
      }
    },
    flush,
    async close(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS) {
      if (closed) return queue.size === 0 && inFlight.size === 0;
      const flushed = await flush(timeoutMs);
      closed = true;
      cancelTimeout(wakeTimer);
      wakeAt = Infinity;
      for (const source of sources.splice(0)) dropSource(source, 'export_timeout', 'still waiting at close');
      for (const entry of queue.drain()) {
        const reason = entry.lastFailure ?? (rateLimits.remainingMs(entry.category) > 0 ? 'rate_limited' : 'export_timeout');
        drop([entry], reason, 'still queued at close');
      }
      // A request with no answer by the close's deadline is lost to this close: counted now, since
      // the process may end before its own timeout would have counted it.
      for (const entry of [...inFlight]) {
        abandoned.add(entry);
        inFlight.delete(entry);
        drop([entry], entry.lastFailure ?? 'export_timeout', 'no answer by the close deadline');
      }
      return flushed;
    },
    pending() {
      return { requests: queue.size + inFlight.size + sources.length, bytes: queue.bytes + inFlightBytes() };
    },
  };
}

function toEntry(request: DeliveryRequest, bytes: number): Entry {
  const items = typeof request?.items === 'number' && request.items >= 0 ? Math.floor(request.items) : 1;
  const category = typeof request?.category === 'string' && request.category !== '' ? request.category : 'default';
  return { request, category, bytes, items, retries: 0 };
}

/** The body's size: the request's own `bytes` for text when it gives a plausible one, else measured. */
function bodyBytes(request: DeliveryRequest): number {
  const { body, bytes } = request;
  if (typeof body !== 'string') return body.byteLength;
  // Text takes at least a byte a UTF-16 unit and at most three.
  if (typeof bytes === 'number' && Number.isInteger(bytes) && bytes >= body.length && bytes <= 3 * body.length) return bytes;
  return utf8ByteLength(body);
}

function positive(value: unknown, fallback: number, option: string, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return integer ? Math.max(1, Math.floor(value)) : value;
  debugLogger.warnOnce(`delivery:${option}`, `delivery option ${option} must be a number > 0; using ${fallback}.`);
  return fallback;
}
