import { debugLogger } from '../../internal/debug-logger';
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
  /** Text (sent as UTF-8) or bytes (sent as they are: a compressed body). */
  body: string | Uint8Array;
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

/** The knobs every HTTP exporter shares. */
export interface DeliveryTuning extends RetryPolicyOptions {
  /** Requests waiting to be sent (in-flight ones not included). Default 64. */
  maxQueueItems?: number;
  /** Bytes of waiting request bodies. Default 4 MiB. */
  maxQueueBytes?: number;
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
  const inFlight = new Set<Entry>();
  const waiters = new Set<Waiter>();
  let backoffUntil = 0;
  let wakeTimer: TimerHandle;
  let wakeAt = Infinity;
  let closed = false;
  let dropped = 0;

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
    if (queue.size === 0 && inFlight.size === 0) {
      for (const waiter of [...waiters]) waiter.settle(dropped === waiter.droppedBefore);
      return;
    }
    if (inFlight.size > 0) return;
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
      sent = Promise.resolve(options.transport.send({ url, body, headers, keepalive }));
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

  const pump = (): void => {
    try {
      while (inFlight.size < maxConcurrent && backoffUntil <= now()) {
        const next = queue.find((entry) => rateLimits.remainingMs(entry.category) === 0);
        if (next === undefined) break;
        queue.remove(next);
        send(next);
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
        if (queue.size === 0 && inFlight.size === 0) return resolve(true);
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
        const body = request?.body;
        if (!request || typeof request.url !== 'string' || (typeof body !== 'string' && !(body instanceof Uint8Array))) {
          debugLogger.warnOnce(`delivery:${name}:request`, `${name}: a request needs a string url and a string or Uint8Array body; it was dropped.`);
          return false;
        }
        const entry = toEntry(request, typeof body === 'string' ? utf8ByteLength(body) : body.byteLength);
        const evicted = queue.push(entry, entry.bytes);
        if (evicted[0] === entry) {
          drop(evicted, 'queue_overflow', `one request of ${entry.bytes} bytes exceeds maxQueueBytes`);
          return false;
        }
        drop(evicted, 'queue_overflow', 'the queue was full; the oldest requests were dropped');
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
      for (const entry of queue.drain()) {
        const reason = entry.lastFailure ?? (rateLimits.remainingMs(entry.category) > 0 ? 'rate_limited' : 'export_timeout');
        drop([entry], reason, 'still queued at close');
      }
      return flushed;
    },
    pending() {
      let bytes = queue.bytes;
      for (const entry of inFlight) bytes += entry.bytes;
      return { requests: queue.size + inFlight.size, bytes };
    },
  };
}

function toEntry(request: DeliveryRequest, bytes: number): Entry {
  const items = typeof request?.items === 'number' && request.items >= 0 ? Math.floor(request.items) : 1;
  const category = typeof request?.category === 'string' && request.category !== '' ? request.category : 'default';
  return { request, category, bytes, items, retries: 0 };
}

function positive(value: unknown, fallback: number, option: string, integer = false): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isFinite(value) && value > 0) return integer ? Math.max(1, Math.floor(value)) : value;
  debugLogger.warnOnce(`delivery:${option}`, `delivery option ${option} must be a number > 0; using ${fallback}.`);
  return fallback;
}
