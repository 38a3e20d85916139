import { debugLogger } from '../internal/debug-logger';
import { metrics } from '../metrics/metrics';
import { now } from '../internal/runtime-globals';
import { withAttributes } from '../metrics/with-attributes';
import { onSettled } from '../internal/on-settled';
import { isObject, optionsObject } from './operation-fields';
import { recorderMetricName, resolveRecorderPrefix } from './recorder-metric-name';

/** Options of `createStatsdFacade`. */
export interface StatsdFacadeOptions {
  /** Prepended with a dot to every key: `prefix: 'sentry'` turns `jobs.done` into `sentry.jobs.done`. */
  prefix?: string;
  /** Tags on every metric of this facade. */
  tags?: Record<string, unknown>;
}

/** Per-call options of `timing`, `gauge` and `distribution`. */
export interface StatsdCallOptions {
  /** Which instance of the thing measured (a queue, a shard): sent as the `instance` attribute. */
  instance?: string | number;
  tags?: Record<string, unknown>;
  /**
   * Accepted for compatibility. isometer aggregates in process, so sampling would save nothing
   * and only add noise: every call with a rate above 0 is recorded in full (totals stay exact);
   * a rate of 0 records nothing. A rate outside 0…1 is warned about once and treated as 1.
   */
  sampleRate?: number;
}

/** Per-call options of `incr`. */
export interface StatsdIncrOptions extends StatsdCallOptions {
  /** Default 1. Counters only go up: a negative amount is dropped with a warning. */
  amount?: number;
}

/** A running timer from `timer()`: add tags while it runs; `stop()` records once and returns the milliseconds. */
export interface StatsdTimer {
  readonly tags: Record<string, unknown>;
  stop(): number;
}

/** `timing` / `incr` / `gauge` with tags, in the shape of Sentry's internal metrics API and hot-shots. */
export interface StatsdFacade {
  /** A duration in milliseconds, as a distribution. */
  timing(key: string, valueMs: number, options?: StatsdCallOptions): void;
  /** Adds `amount` (default 1) to a counter. */
  incr(key: string, options?: StatsdIncrOptions): void;
  gauge(key: string, value: number, options?: StatsdCallOptions): void;
  /** Any value into a distribution (`unit` as isometer spells units: `byte`, `second` …). */
  distribution(key: string, value: number, options?: StatsdCallOptions & { unit?: string }): void;
  /** Starts a timer recorded as `timing(key, …)` when stopped. */
  timer(key: string, options?: StatsdCallOptions): StatsdTimer;
  /** Times `fn` (sync or async) into `timing(key, …)` with tag `result: success | failure`; returns and throws what `fn` does. */
  time<T>(key: string, fn: () => T, options?: StatsdCallOptions): T;
  /** Pushes tags applied to every later call of this facade until `popTags()`. Not async-safe: prefer `withTags` in servers. */
  pushTags(tags: Record<string, unknown>): void;
  popTags(): void;
  /** Runs `fn` with `tags` on every metric recorded inside it (and, in Node, in the async work it starts), like `withAttributes`. */
  withTags<T>(tags: Record<string, unknown>, fn: () => T): T;
}

/**
 * A statsd-style facade over isometer's primitives, for code written against Sentry's internal
 * metrics API or hot-shots: `timing` → distribution in milliseconds, `incr` → count, `gauge` →
 * gauge, `instance` → an attribute, tags → attributes. Everything aggregates and exports like any
 * other metric. Bad input and backend failures are logged once, never thrown.
 *
 * @example
 * const statsd = createStatsdFacade({ prefix: 'jobs', tags: { region: 'eu' } });
 * statsd.incr('processed', { amount: 3, tags: { queue: 'email' } });
 * statsd.timing('latency', 42, { instance: 'worker-1' });
 * await statsd.time('run', () => runJob());
 */
export function createStatsdFacade(options?: StatsdFacadeOptions): StatsdFacade {
  const settings = optionsObject(options) ?? {};
  const prefix = resolveRecorderPrefix(settings.prefix, 'createStatsdFacade');
  const baseTags = tagsOrEmpty(settings.tags, 'createStatsdFacade');
  const pushed: Array<Record<string, unknown>> = [];

  function name(where: string, key: unknown): string | undefined {
    if (typeof key === 'string' && key.length > 0) return recorderMetricName(prefix, key);
    debugLogger.warnOnce(`statsd.${where}:key`, `statsd.${where}(key, …): key must be a non-empty string such as "jobs.processed"; the call was ignored.`);
    return undefined;
  }

  function attributes(where: string, call: StatsdCallOptions | undefined): Record<string, unknown> {
    const callTags = call?.tags === undefined ? undefined : tagsOrEmpty(call.tags, `statsd.${where}`);
    const instance = call?.instance;
    if (pushed.length === 0 && callTags === undefined && instance === undefined) return baseTags;
    const merged: Record<string, unknown> = { ...baseTags };
    for (const tags of pushed) Object.assign(merged, tags);
    if (callTags !== undefined) Object.assign(merged, callTags);
    if (instance !== undefined) merged.instance = instance;
    return merged;
  }

  function guard(where: string, record: () => void): void {
    try {
      record();
    } catch (error) {
      debugLogger.internalError(`statsd.${where}`, error);
    }
  }

  function timing(key: string, valueMs: number, call?: StatsdCallOptions): void {
    guard('timing', () => {
      const metric = name('timing', key);
      const given = optionsObject(call);
      if (metric !== undefined && keep('timing', given?.sampleRate)) metrics.distribution(metric, valueMs, { unit: 'millisecond', attributes: attributes('timing', given) });
    });
  }

  return {
    timing,
    incr(key, call) {
      guard('incr', () => {
        const metric = name('incr', key);
        const given = optionsObject(call);
        if (metric !== undefined && keep('incr', given?.sampleRate)) metrics.count(metric, given?.amount ?? 1, { attributes: attributes('incr', given) });
      });
    },
    gauge(key, value, call) {
      guard('gauge', () => {
        const metric = name('gauge', key);
        const given = optionsObject(call);
        if (metric !== undefined && keep('gauge', given?.sampleRate)) metrics.gauge(metric, value, { attributes: attributes('gauge', given) });
      });
    },
    distribution(key, value, call) {
      guard('distribution', () => {
        const metric = name('distribution', key);
        const given = optionsObject(call);
        if (metric !== undefined && keep('distribution', given?.sampleRate)) metrics.distribution(metric, value, { unit: given?.unit, attributes: attributes('distribution', given) });
      });
    },
    timer(key, call) {
      const given = optionsObject(call) ?? {};
      const tags: Record<string, unknown> = { ...tagsOrEmpty(given.tags, 'statsd.timer') };
      const start = now();
      let elapsed: number | undefined;
      return {
        tags,
        stop() {
          if (elapsed !== undefined) return elapsed;
          elapsed = now() - start;
          timing(key, elapsed, { ...given, tags });
          return elapsed;
        },
      };
    },
    time(key, fn, call) {
      if (typeof fn !== 'function') {
        debugLogger.warnOnce('statsd.time:fn', 'statsd.time(key, fn): fn must be a function; nothing was timed.');
        return undefined as never;
      }
      const given = optionsObject(call) ?? {};
      const start = now();
      // Sentry's metrics.timer tags each timing with how the block ended.
      const finish = (result: 'success' | 'failure'): void => timing(key, now() - start, { ...given, tags: { ...tagsOrEmpty(given.tags, 'statsd.time'), result } });
      return onSettled('statsd.time', fn, (threw) => finish(threw ? 'failure' : 'success'));
    },
    pushTags(tags) {
      pushed.push({ ...tagsOrEmpty(tags, 'statsd.pushTags') });
    },
    popTags() {
      if (pushed.pop() === undefined) debugLogger.warnOnce('statsd.popTags:empty', 'statsd.popTags(): there were no pushed tags to pop; nothing changed.');
    },
    withTags(tags, fn) {
      return withAttributes(tagsOrEmpty(tags, 'statsd.withTags'), fn);
    },
  };
}

// Shared and never mutated: every caller copies before adding tags.
const NO_TAGS: Record<string, unknown> = {};

function tagsOrEmpty(tags: unknown, where: string): Record<string, unknown> {
  if (tags === undefined || tags === null) return NO_TAGS;
  if (isObject(tags) && !Array.isArray(tags)) return tags;
  debugLogger.warnOnce(`${where}:tags`, `${where}: tags must be an object such as { queue: 'email' }; they were ignored.`);
  return NO_TAGS;
}

/** Whether a call with this `sampleRate` is recorded: see `StatsdCallOptions.sampleRate`. */
function keep(where: string, sampleRate: unknown): boolean {
  if (sampleRate === undefined) return true;
  if (typeof sampleRate === 'number' && sampleRate >= 0 && sampleRate <= 1) return sampleRate > 0;
  debugLogger.warnOnce(`statsd.${where}:sampleRate`, `statsd.${where}(…, { sampleRate }): sampleRate must be a number from 0 to 1; the call was recorded in full.`);
  return true;
}
